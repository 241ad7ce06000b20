import { useState } from 'react';
import type { ClientJson, CredentialJson, RegenerateSecretBody } from '@latchkey/contract';
import { api, ApiError, enc, problemOf, toApiError } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { settings } from '../settings.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { CopyButton } from '../components/copy-button.js';
import { SecretReveal } from '../components/secret-reveal.js';
import { ErrorNotice } from '../components/states.js';

const OVERLAPS = [0, 3_600, 86_400, 7 * 86_400];

/** A registered environment's credential: its client, the token request page, Postman, regenerating the secret. */
export function CredentialCard({ acronym, env, client, onChange }: { readonly acronym: string; readonly env: string; readonly client: ClientJson; onChange(): void }) {
  const { t, date } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [overlap, setOverlap] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [issued, setIssued] = useState<CredentialJson | null>(null);
  const label = env.toUpperCase();
  const base = `/applications/${enc(acronym)}/environments/${enc(env)}`;

  const regenerate = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const body: RegenerateSecretBody = overlap > 0 ? { grace_seconds: overlap } : {};
      setIssued(await api<CredentialJson>('POST', `${base}/secret`, body));
      setConfirming(false);
    } catch (e) {
      setError(toApiError(e));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  const downloadPostman = async (): Promise<void> => {
    setError(null);
    const response = await fetch(`/api/v1${base}/postman`, { credentials: 'same-origin' }).catch(() => null);
    if (!response) return setError(new ApiError(0, 'network'));
    if (!response.ok) return setError(await problemOf(response));
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = `${acronym}-${env}.postman_collection.json`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  };

  const overlaps = OVERLAPS.filter((s) => s <= settings.maxSecretGraceSeconds);
  return (
    <div className="credential">
      <dl className="facts">
        <div>
          <dt>{t('cred.clientId')}</dt>
          <dd>
            <code>{client.client_id}</code> <CopyButton text={client.client_id} label={t('cred.copyClientId')} />
          </dd>
        </div>
        <div>
          <dt>{t('cred.tokenEndpoint')}</dt>
          <dd>
            <code>{client.token_endpoint}</code>
          </dd>
        </div>
        <div>
          <dt>{t('cred.scopes')}</dt>
          <dd>
            {client.grants.length === 0
              ? '—'
              : client.grants.map((g) => (
                  <span key={g.service} className="grant">
                    <strong>{g.service}</strong>: {g.scopes.length > 0 ? g.scopes.map((s) => <code key={s}>{s}</code>) : t('cred.allScopes')}
                  </span>
                ))}
          </dd>
        </div>
        <div>
          <dt>{t('cred.created')}</dt>
          <dd>{date(client.created_at)}</dd>
        </div>
        <div>
          <dt>{t('cred.rotated')}</dt>
          <dd>{client.rotated_at ? date(client.rotated_at) : t('cred.never')}</dd>
        </div>
        <div>
          <dt>{t('cred.lastUsed')}</dt>
          <dd>{client.last_used_at ? date(client.last_used_at) : t('cred.never')}</dd>
        </div>
      </dl>
      <ErrorNotice error={error} />
      <div className="actions start">
        <Link className="button" to={`${base}/token`}>
          {t('cred.getToken')}
        </Link>
        <button type="button" className="secondary" onClick={() => void downloadPostman()}>
          {t('cred.postman')}
        </button>
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          {t('cred.regenerate')}
        </button>
      </div>
      <p className="hint">{t('cred.postmanNote')}</p>
      {confirming && (
        <ConfirmDialog title={t('regen.title', { env: label })} confirmLabel={t('regen.confirm')} busy={busy} onConfirm={() => void regenerate()} onCancel={() => setConfirming(false)}>
          <p>{t('regen.breaks', { env: label })}</p>
          <div className="field">
            <label htmlFor={`overlap-${env}`}>{t('regen.overlap')}</label>
            <select id={`overlap-${env}`} value={overlap} onChange={(e) => setOverlap(Number(e.target.value))}>
              {overlaps.map((s) => (
                <option key={s} value={s}>
                  {s === 0 ? t('regen.overlapNone') : s === 3_600 ? t('regen.overlapHour') : s === 86_400 ? t('regen.overlapDay') : t('regen.overlapWeek')}
                </option>
              ))}
            </select>
          </div>
        </ConfirmDialog>
      )}
      {issued && (
        <SecretReveal
          title={t('secret.titleRegenerated', { env: label })}
          label={t('secret.clientSecret')}
          secret={issued.client_secret ?? ''}
          details={[{ term: t('cred.clientId'), value: issued.client_id ?? client.client_id }]}
          onDone={() => {
            setIssued(null);
            onChange();
          }}
        />
      )}
    </div>
  );
}
