import { useState, type FormEvent } from 'react';
import { api, ApiError, pageOf } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { settings } from '../settings.js';
import { useApi } from '../use-api.js';
import { str, toService } from '../model.js';
import { Checkbox, TextField } from '../components/field.js';
import { ErrorNotice } from '../components/states.js';
import type { PersonalToken } from './token-table.js';

const PORTAL_SCOPES = ['portal:read', 'portal:write'];
const DAY = 86_400_000;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Create a token record (name, expiry within the server's maximum, scopes from the catalog). */
export function TokenForm({ replacing, onCreated }: { readonly replacing: PersonalToken | undefined; onCreated(token: { id: string; name: string }): void }) {
  const { t } = useI18n();
  const catalog = useApi<unknown>('/services?limit=200');
  const services = catalog.data === undefined ? [] : pageOf<Record<string, unknown>>(catalog.data).items.map(toService);
  const maxDay = isoDay(Date.now() + settings.patMaxDays * DAY);
  const [name, setName] = useState(replacing ? t('pat.replacementName', { name: replacing.name }) : '');
  const [expires, setExpires] = useState(isoDay(Date.now() + Math.min(90, settings.patMaxDays) * DAY));
  const [scopes, setScopes] = useState<readonly string[]>(replacing?.scopes ?? ['portal:read']);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const toggle = (scope: string, on: boolean): void => setScopes((s) => (on ? [...s, scope] : s.filter((x) => x !== scope)));

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(null);
    if (expires > maxDay) {
      setError(new ApiError(400, t('pat.tooLong', { days: settings.patMaxDays })));
      return;
    }
    setBusy(true);
    try {
      // The end of the chosen day, UTC.
      const created = await api<Record<string, unknown>>('POST', '/me/tokens', { name, expires_at: `${expires}T23:59:59.000Z`, scopes });
      onCreated({ id: str(created, 'id'), name: str(created, 'name') || name });
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="panel" noValidate>
      <ErrorNotice error={error} />
      <TextField label={t('field.name')} required value={name} onChange={setName} autoComplete="off" />
      <TextField
        label={t('pat.expires')}
        type="date"
        required
        min={isoDay(Date.now() + DAY)}
        max={maxDay}
        value={expires}
        onChange={setExpires}
        hint={t('pat.maxHint', { days: settings.patMaxDays, date: maxDay })}
      />
      <fieldset>
        <legend>{t('pat.scopes')}</legend>
        {PORTAL_SCOPES.map((s) => (
          <Checkbox key={s} label={<code>{s}</code>} hint={t(s === 'portal:read' ? 'pat.portalRead' : 'pat.portalWrite')} checked={scopes.includes(s)} onChange={(on) => toggle(s, on)} />
        ))}
        {services.map((service) =>
          service.scopes.map((scope) => (
            <Checkbox key={`${service.key}/${scope.name}`} label={<code>{scope.name}</code>} hint={`${service.name}${scope.description ? ` — ${scope.description}` : ''}`} checked={scopes.includes(scope.name)} onChange={(on) => toggle(scope.name, on)} />
          )),
        )}
      </fieldset>
      <div className="actions start">
        <button type="submit" disabled={busy}>
          {t('pat.createAndGenerate')}
        </button>
      </div>
    </form>
  );
}
