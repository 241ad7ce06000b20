import { useState } from 'react';
import type { SignUpBody } from '@latchkey/contract';
import { api } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate, searchParam } from '../router.js';
import { logIn, useSession } from '../session.js';
import { Page } from '../components/page.js';
import { TextField } from '../components/field.js';
import { ErrorNotice } from '../components/states.js';
import { useSubmit } from '../use-api.js';
import { safeNext } from './login-page.js';

export function SignUpPage() {
  const { t } = useI18n();
  const { setUser } = useSession();
  const target = safeNext(searchParam('next'));
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    const body: SignUpBody = { email, password, name };
    await api('POST', '/users', body);
    // Signing up does not log in by itself: log in with what was just typed.
    setUser(await logIn(email, password));
    navigate(target, { replace: true });
  });
  return (
    <Page title={t('signup.title')}>
      <form onSubmit={submit} className="narrow" noValidate>
        <ErrorNotice error={error} />
        <TextField label={t('field.name')} autoComplete="name" required value={name} onChange={setName} />
        <TextField label={t('field.email')} type="email" autoComplete="email" required value={email} onChange={setEmail} />
        <TextField
          label={t('field.password')}
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={setPassword}
          hint={t('signup.passwordHint')}
        />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('signup.submit')}
          </button>
        </div>
      </form>
      <p>
        {t('signup.haveAccount')} <Link to={`/login?next=${encodeURIComponent(target)}`}>{t('signup.logIn')}</Link>
      </p>
    </Page>
  );
}
