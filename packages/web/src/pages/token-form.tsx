import { useState, type FormEvent } from 'react';
import { api, ApiError, pageOf, toApiError } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { settings } from '../settings.js';
import { useApi } from '../use-api.js';
import { str } from '../model.js';
import { Checkbox, TextField } from '../components/field.js';
import { ErrorNotice, Loading } from '../components/states.js';
import type { PersonalToken } from './token-table.js';

interface ScopeChoice {
  readonly name: string;
  readonly description: string;
  readonly service: string | null;
  /** Part of the default set (the read scopes). */
  readonly default: boolean;
}
const DAY = 86_400_000;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Create a token record (name, expiry within the server's maximum, scopes from the catalog). */
export function TokenForm({ replacing, onCreated }: { readonly replacing: PersonalToken | undefined; onCreated(token: { id: string; name: string }): void }) {
  const { t } = useI18n();
  // The scopes a token may carry: the portal's and the catalog's.
  const choices = useApi<unknown>('/me/tokens/scopes');
  const scopeChoices = choices.data === undefined ? [] : pageOf<ScopeChoice>(choices.data).items;
  const maxDay = isoDay(Date.now() + settings.patMaxDays * DAY);
  const [name, setName] = useState(replacing ? t('pat.replacementName', { name: replacing.name }) : '');
  const [expires, setExpires] = useState(isoDay(Date.now() + Math.min(90, settings.patMaxDays) * DAY));
  const [picked, setScopes] = useState<readonly string[] | null>(replacing?.scopes ?? null);
  const scopes = picked ?? scopeChoices.filter((c) => c.default).map((c) => c.name);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const toggle = (scope: string, on: boolean): void => setScopes(on ? [...scopes, scope] : scopes.filter((x) => x !== scope));

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
      // A replacement deletes the token it replaces in the same step.
      const created = await api<Record<string, unknown>>('POST', '/me/tokens', {
        name,
        expires_at: `${expires}T23:59:59.000Z`,
        scopes,
        ...(replacing ? { replaces: replacing.id } : {}),
      });
      onCreated({ id: str(created, 'id'), name: str(created, 'name') || name });
    } catch (e) {
      setError(toApiError(e));
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
        {choices.loading && <Loading />}
        <ErrorNotice error={choices.error} />
        {scopeChoices.map((choice) => (
          <Checkbox
            key={choice.name}
            label={<code>{choice.name}</code>}
            hint={[choice.service, choice.description].filter(Boolean).join(' — ')}
            checked={scopes.includes(choice.name)}
            onChange={(on) => toggle(choice.name, on)}
          />
        ))}
      </fieldset>
      <div className="actions start">
        <button type="submit" disabled={busy}>
          {t('pat.createAndGenerate')}
        </button>
      </div>
    </form>
  );
}
