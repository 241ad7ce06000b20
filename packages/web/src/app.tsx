import { useEffect, type ReactNode } from 'react';
import { api } from './api.js';
import { LANGS, useI18n, I18nProvider, type Lang } from './i18n/i18n.js';
import { Link, navigate, useLocation } from './router.js';
import { hasRole, SessionProvider, useSession } from './session.js';
import { Loading } from './components/states.js';
import { LoginPage } from './pages/login-page.js';
import { SignUpPage } from './pages/signup-page.js';
import { ApplicationsPage } from './pages/applications-page.js';
import { ApplicationPage } from './pages/application-page.js';
import { GetAccessTokenPage } from './pages/get-access-token-page.js';
import { InvitationPage } from './pages/invitation-page.js';
import { TokensPage } from './pages/tokens-page.js';
import { AdminPage } from './admin/admin-page.js';
import { RequestReviewPage } from './admin/request-review-page.js';
import { NotFoundPage } from './pages/not-found-page.js';

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <Shell />
      </SessionProvider>
    </I18nProvider>
  );
}

function Shell() {
  const { t, lang, setLang } = useI18n();
  const { user, setUser } = useSession();
  const location = useLocation();
  const path = location.split('?')[0] ?? '/';
  const logOut = async (): Promise<void> => {
    await api('DELETE', '/session').catch(() => undefined);
    setUser(null);
    navigate('/login');
  };
  const navLink = (to: string, label: string): ReactNode => (
    <li>
      <Link to={to} aria-current={path === to || path.startsWith(`${to}/`) ? 'page' : undefined}>
        {label}
      </Link>
    </li>
  );
  return (
    <>
      <a className="skip" href="#main">
        {t('nav.skip')}
      </a>
      <header className="top">
        <Link to="/" className="brand">
          Latchkey
        </Link>
        <nav aria-label={t('nav.label')}>
          <ul>
            {user && navLink('/applications', t('nav.applications'))}
            {user && navLink('/tokens', t('nav.tokens'))}
            {(hasRole(user, 'admin') || hasRole(user, 'token_admin')) && navLink('/admin', t('nav.admin'))}
            <li>
              <a href="/docs">{t('nav.apiDocs')}</a>
            </li>
          </ul>
        </nav>
        <div className="account">
          <label className="lang">
            <span className="visually-hidden">{t('nav.language')}</span>
            <select value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
              {LANGS.map((l) => (
                <option key={l} value={l} lang={l}>
                  {l === 'en' ? 'English' : 'Français'}
                </option>
              ))}
            </select>
          </label>
          {user ? (
            <>
              <span className="who">{user.name || user.email}</span>
              <button type="button" className="secondary" onClick={() => void logOut()}>
                {t('nav.logout')}
              </button>
            </>
          ) : (
            user === null && <Link to="/login">{t('nav.login')}</Link>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Routes path={path} key={path} />
      </main>
    </>
  );
}

function Routes({ path }: { readonly path: string }) {
  const { user } = useSession();
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'login') return <LoginPage />;
  if (parts[0] === 'signup') return <SignUpPage />;
  if (user === undefined) return <Loading />;
  if (user === null) return <LoginPage next={path + window.location.search} />;
  const [first, second, third, fourth, fifth] = parts;
  if (first === undefined) return <Home />;
  if (first === 'applications' && second === undefined) return <ApplicationsPage />;
  if (first === 'applications' && second && third === undefined) return <ApplicationPage acronym={second} />;
  if (first === 'applications' && second && third === 'environments' && fourth && fifth === 'token' && parts.length === 5) {
    return <GetAccessTokenPage acronym={second} env={fourth} />;
  }
  if (first === 'invitations' && second && parts.length === 2) return <InvitationPage token={second} />;
  if (first === 'tokens' && (second === undefined || second === 'new') && parts.length <= 2) return <TokensPage creating={second === 'new'} />;
  if (first === 'admin' && second === 'requests' && third && parts.length <= 4) return <RequestReviewPage acronym={third} env={fourth} />;
  if (first === 'admin' && parts.length <= 2) return <AdminPage section={second ?? 'requests'} />;
  return <NotFoundPage />;
}

function Home() {
  useEffect(() => navigate('/applications', { replace: true }), []);
  return <Loading />;
}
