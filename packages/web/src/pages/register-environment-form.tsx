import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ApplicationDetailsJson, CredentialJson, EnvironmentJson, EnvironmentRegistrationBody, ServiceJson } from '@latchkey/contract';
import { api, ApiError, enc, toApiError } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { useApiAll } from '../use-api.js';
import { Checkbox, TextArea, TextField } from '../components/field.js';
import { Empty, ErrorNotice, Loading } from '../components/states.js';
import { SecretReveal } from '../components/secret-reveal.js';

interface Props {
  readonly app: ApplicationDetailsJson;
  readonly env: string;
  /** The environment registered before this one: its services and scopes are offered again. */
  readonly previous: EnvironmentJson | undefined;
  onDone(): void;
  onCancel(): void;
}

export function RegisterEnvironmentForm({ app, env, previous, onDone, onCancel }: Props) {
  const { t } = useI18n();
  const catalog = useApiAll<ServiceJson>('/services');
  const services = catalog.data ?? [];
  // Name and description carry over from the previous registration, so nobody types them twice.
  const [name, setName] = useState(previous?.name || app.name);
  const [description, setDescription] = useState(previous?.description || app.description);
  const [chosen, setChosen] = useState<Record<string, readonly string[] | undefined>>(() =>
    Object.fromEntries((previous?.client?.grants ?? []).map((g) => [g.service, g.scopes])),
  );
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<CredentialJson | null>(null);
  const label = env.toUpperCase();
  const formRef = useRef<HTMLFormElement>(null);
  // The button that opened the form is gone: keyboard and screen-reader users continue in the form.
  useEffect(() => formRef.current?.querySelector<HTMLElement>('input, textarea')?.focus(), []);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: EnvironmentRegistrationBody = {
        name,
        description,
        services: Object.entries(chosen)
          .filter((entry): entry is [string, readonly string[]] => entry[1] !== undefined)
          .map(([key, scopes]) => ({ key, scopes: [...scopes] })),
      };
      // 201 with the secret, or 202 when the environment waits for an administrator.
      const created = await api<CredentialJson>('POST', `/applications/${enc(app.acronym)}/environments/${enc(env)}`, body);
      if (created.client_secret) setIssued(created);
      else onDone();
    } catch (e) {
      setError(toApiError(e));
      setBusy(false);
    }
  };

  return (
    <>
    <form ref={formRef} onSubmit={submit} className="panel" noValidate aria-label={t('register.title', { env: label })}>
      <h4>{t('register.title', { env: label })}</h4>
      <ErrorNotice error={error} />
      <TextField label={t('field.fullName')} value={name} onChange={setName} />
      <TextArea label={t('field.description')} value={description} onChange={setDescription} />
      <fieldset>
        <legend>{t('register.services')}</legend>
        {catalog.loading && <Loading />}
        <ErrorNotice error={catalog.error} />
        {catalog.data !== undefined && services.length === 0 && <Empty>{t('register.noServices')}</Empty>}
        {services.map((service) => {
          const scopes = chosen[service.key];
          return (
            <div key={service.key} className="service-choice">
              <Checkbox
                label={<strong>{service.name}</strong>}
                hint={service.description}
                checked={scopes !== undefined}
                onChange={(on) => setChosen((c) => ({ ...c, [service.key]: on ? service.scopes.map((s) => s.name) : undefined }))}
              />
              {scopes !== undefined && service.scopes.length > 0 && (
                <fieldset className="scopes">
                  <legend>{t('register.scopesOf', { service: service.name })}</legend>
                  {service.scopes.map((scope) => (
                    <Checkbox
                      key={scope.name}
                      label={<code>{scope.name}</code>}
                      hint={scope.description}
                      checked={scopes.includes(scope.name)}
                      onChange={(on) =>
                        setChosen((c) => ({ ...c, [service.key]: on ? [...scopes, scope.name] : scopes.filter((s) => s !== scope.name) }))
                      }
                    />
                  ))}
                </fieldset>
              )}
            </div>
          );
        })}
      </fieldset>
      <div className="actions">
        <button type="button" className="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" disabled={busy}>
          {t('register.submit', { env: label })}
        </button>
      </div>
    </form>
      {issued && (
        <SecretReveal
          title={t('secret.titleRegistered', { env: label })}
          label={t('secret.clientSecret')}
          secret={issued.client_secret ?? ''}
          details={[
            { term: t('cred.clientId'), value: issued.client_id ?? '' },
            { term: t('cred.tokenEndpoint'), value: issued.token_endpoint },
          ]}
          onDone={() => {
            setIssued(null);
            onDone();
          }}
        />
      )}
    </>
  );
}
