import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { origin } from '../settings.js';
import { TextField } from '../components/field.js';
import { buildRequest, decodeJwt, type Dialect, type Format } from './token-dialects.js';

interface Result {
  readonly status: number;
  readonly body: string;
  readonly claims: string | null;
}

/** Sends the real token request from the browser; the secret lives only in this form's state. */
export function TryIt({ dialect, format, clientId, username }: { readonly dialect: Dialect; readonly format: Format; readonly clientId: string; readonly username: string }) {
  const { t } = useI18n();
  const [secret, setSecret] = useState('');
  const [scope, setScope] = useState('');
  const [result, setResult] = useState<Result | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const hasScope = dialect.fields.some((f) => f.value === 'scope');
  const isPassword = dialect.id === 'token-api';

  const send = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    setResult(null);
    const request = buildRequest(dialect, format, origin, { clientId, clientSecret: secret, scope, username });
    try {
      // credentials: 'omit': the token endpoints authenticate the client, never the portal session.
      const response = await fetch(request.url, { method: 'POST', headers: { 'content-type': request.contentType }, body: request.body, credentials: 'omit' });
      const text = await response.text();
      let body = text;
      let claims: string | null = null;
      try {
        const json = JSON.parse(text) as Record<string, unknown>;
        body = JSON.stringify(json, null, 2);
        const token = json[dialect.tokenField];
        const decoded = typeof token === 'string' ? decodeJwt(token) : null;
        if (decoded) claims = JSON.stringify(decoded, null, 2);
      } catch {
        // Not JSON: show it as it came.
      }
      setResult({ status: response.status, body, claims });
    } catch {
      setFailure(t('error.network'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="try-it" className="panel">
      <h2 id="try-it">{t('try.title')}</h2>
      <p>{t(isPassword ? 'try.introPassword' : 'try.intro')}</p>
      <form onSubmit={send} noValidate>
        <TextField
          label={t(isPassword ? 'try.password' : 'try.secret')}
          type="password"
          autoComplete="off"
          required
          value={secret}
          onChange={setSecret}
          hint={t('try.secretHint')}
        />
        {hasScope && <TextField label={t('try.scope')} value={scope} onChange={setScope} hint={t('try.scopeHint')} autoComplete="off" />}
        <div className="actions start">
          <button type="submit" disabled={busy || secret === ''}>
            {t('try.send')}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {failure && (
          <p className="notice error" role="alert">
            {failure}
          </p>
        )}
        {result && (
          <div className="try-result">
            <h3>
              {t('try.status')} <span className={`status-code ${result.status < 300 ? 'ok' : 'bad'}`}>{result.status}</span>
            </h3>
            <h4>{t('try.response')}</h4>
            <pre className="code">{result.body}</pre>
            {result.claims && (
              <>
                <h4>{t('try.claims')}</h4>
                <pre className="code">{result.claims}</pre>
              </>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
