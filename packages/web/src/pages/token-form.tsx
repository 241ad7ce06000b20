import { useState, type FormEvent } from 'react';
import type { CreatePersonalTokenBody, PersonalTokenJson, PersonalTokenScopesJson, TokenScopeJson } from '@latchkey/contract';
import { api, ApiError, toApiError } from '../api.js';
import { useI18n, type MessageKey, type Translate } from '../i18n/i18n.js';
import { settings } from '../settings.js';
import { useApi } from '../use-api.js';
import { Checkbox, TextField } from '../components/field.js';
import { ErrorNotice, Loading, Notice } from '../components/states.js';

const DAY = 86_400_000;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** What a scope is and where it holds: the portal's in the user's language; a service's with its environments and applications. */
const PORTAL_HINTS: Readonly<Record<string, MessageKey>> = { 'portal:read': 'pat.portalRead', 'portal:write': 'pat.portalWrite' };

function scopeHint(choice: TokenScopeJson, t: Translate): string {
  if (choice.service === null) {
    const key = PORTAL_HINTS[choice.name];
    return key ? t(key) : choice.description;
  }
  const where = t('pat.scopeWhere', { envs: choice.environments.map((e) => e.toUpperCase()).join(', '), apps: choice.applications.join(', ') });
  return [choice.service, choice.description, where].filter(Boolean).join(' — ');
}

/** Create a token record (name, expiry within the server's maximum, scopes among those the user may hold). */
export function TokenForm({ replacing, onCreated }: { readonly replacing: PersonalTokenJson | undefined; onCreated(token: { id: string; name: string }): void }) {
  const { t } = useI18n();
  // Only what this user may hold: the portal's scopes, and those their applications have credentials for.
  const choices = useApi<PersonalTokenScopesJson>('/me/tokens/scopes');
  const scopeChoices = choices.data?.items ?? [];
  const serviceScopes = choices.data?.service_scopes ?? 'available';
  const maxDay = isoDay(Date.now() + settings.patMaxDays * DAY);
  const [name, setName] = useState(replacing ? t('pat.replacementName', { name: replacing.name }) : '');
  const [expires, setExpires] = useState(isoDay(Date.now() + Math.min(90, settings.patMaxDays) * DAY));
  const [picked, setScopes] = useState<readonly string[] | null>(replacing?.scopes ?? null);
  const offered = new Set(scopeChoices.map((c) => c.name));
  const wanted = picked ?? scopeChoices.filter((c) => c.default).map((c) => c.name);
  // A replaced token's scopes the user may no longer hold are left out (the server would refuse them), and said so.
  const scopes = choices.data === undefined ? wanted : wanted.filter((name) => offered.has(name));
  const dropped = choices.data === undefined || !replacing ? [] : replacing.scopes.filter((name) => !offered.has(name));
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
      const body: CreatePersonalTokenBody = {
        name,
        expires_at: `${expires}T23:59:59.000Z`,
        scopes: [...scopes],
        ...(replacing ? { replaces: replacing.id } : {}),
      };
      const created = await api<PersonalTokenJson>('POST', '/me/tokens', body);
      onCreated({ id: created.id, name: created.name });
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
        <p className="hint">{t('pat.scopesHint')}</p>
        {serviceScopes !== 'available' && (
          <Notice>
            <p>{t(serviceScopes === 'not_a_member' ? 'pat.noServiceScopes.not_a_member' : 'pat.noServiceScopes.no_credentials')}</p>
          </Notice>
        )}
        {dropped.length > 0 && (
          <Notice kind="warning">
            <p>{t('pat.droppedScopes', { scopes: dropped.join(', ') })}</p>
          </Notice>
        )}
        {scopeChoices.map((choice) => (
          <Checkbox
            key={`${choice.service ?? ''}/${choice.name}`}
            label={<code>{choice.name}</code>}
            hint={scopeHint(choice, t)}
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
