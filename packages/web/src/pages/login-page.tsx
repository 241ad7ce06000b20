import { useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate, searchParam } from '../router.js';
import { logIn, useSession } from '../session.js';
import { Page } from '../components/page.js';
import { TextField } from '../components/field.js';
import { ErrorNotice } from '../components/states.js';
import { useSubmit } from '../use-api.js';

/** Where to go after logging in: a path on this site only (never an open redirect). */
export function safeNext(next: string | null | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') && !next.startsWith('/signup') ? next : '/applications';
}

export function LoginPage({ next }: { readonly next?: string }) {
  const { t } = useI18n();
  const { setUser } = useSession();
  const target = safeNext(next ?? searchParam('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    setUser(await logIn(email, password));
    navigate(target, { replace: true });
  });
  return (
    <Page title={t('login.title')}>
      <p>{t('login.intro')}</p>
      <form onSubmit={submit} className="narrow" noValidate>
        <ErrorNotice error={error} />
        <TextField label={t('field.email')} type="email" autoComplete="username" required value={email} onChange={setEmail} />
        <TextField label={t('field.password')} type="password" autoComplete="current-password" required value={password} onChange={setPassword} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('login.submit')}
          </button>
        </div>
      </form>
      <p>
        {t('login.noAccount')} <Link to={`/signup?next=${encodeURIComponent(target)}`}>{t('login.signUp')}</Link>
      </p>
    </Page>
  );
}
