import { useState } from 'react';
import type { ApplicationDraftJson, ApplicationJson, ApplicationListItemJson, ApplicationRequestBody } from '@latchkey/contract';
import { api, enc } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate } from '../router.js';
import { useApi, useApiAll, useSubmit } from '../use-api.js';
import { Page } from '../components/page.js';
import { TextArea, TextField } from '../components/field.js';
import { Empty, ErrorNotice, Loading } from '../components/states.js';
import { StatusBadge } from '../components/status-badge.js';

export function ApplicationsPage() {
  const { t } = useI18n();
  // With their environments: one request for the whole list, however long.
  const loaded = useApiAll<ApplicationListItemJson>('/applications?include=environments');
  // Your last request pre-fills the form: a rejected request is usually asked again with changes.
  const draft = useApi<ApplicationDraftJson>('/application-draft');
  const apps = loaded.data ?? [];
  return (
    <Page title={t('apps.title')}>
      <p>{t('apps.intro')}</p>
      {loaded.loading && <Loading />}
      <ErrorNotice error={loaded.error} />
      {loaded.data !== undefined && apps.length === 0 && <Empty>{t('apps.empty')}</Empty>}
      {apps.length > 0 && (
        <ul className="cards">
          {apps.map((app) => (
            <ApplicationItem key={app.acronym} app={app} />
          ))}
        </ul>
      )}
      {loaded.data !== undefined && !draft.loading && <RequestAccountForm draft={draft.data ?? null} />}
    </Page>
  );
}

function ApplicationItem({ app }: { readonly app: ApplicationListItemJson }) {
  const { t } = useI18n();
  const environments = app.environments ?? [];
  const registered = environments.filter((e) => e.status === 'approved').map((e) => e.env.toUpperCase());
  const waiting = environments.filter((e) => e.status === 'pending').map((e) => e.env.toUpperCase());
  return (
    <li className="card">
      <h2>
        <Link to={`/applications/${enc(app.acronym)}`}>{app.acronym}</Link> <StatusBadge status={app.status} />
      </h2>
      {app.name && <p>{app.name}</p>}
      {app.status === 'rejected' && (
        <p className="notice warning">
          {t('apps.rejectedReason')} {app.decision_reason || t('apps.noReason')}
        </p>
      )}
      {app.status === 'pending' && <p className="muted">{t('apps.pendingHelp')}</p>}
      {app.status === 'approved' && <p className="muted">{registered.length > 0 ? t('apps.registered', { envs: registered.join(', ') }) : t('apps.noneRegistered')}</p>}
      {waiting.length > 0 && <p className="muted">{t('apps.waiting', { envs: waiting.join(', ') })}</p>}
    </li>
  );
}

function RequestAccountForm({ draft }: { readonly draft: ApplicationDraftJson }) {
  const { t } = useI18n();
  const [acronym, setAcronym] = useState(draft?.status === 'rejected' ? draft.acronym : '');
  const [name, setName] = useState(draft?.name ?? '');
  const [description, setDescription] = useState(draft?.description ?? '');
  const { busy, error, submit } = useSubmit(async () => {
    const body: ApplicationRequestBody = { acronym: acronym.trim(), name, description };
    const created = await api<ApplicationJson>('POST', '/applications', body);
    navigate(`/applications/${enc(created.acronym)}`);
  });
  return (
    <section aria-labelledby="request-account" className="panel">
      <h2 id="request-account">{t('request.title')}</h2>
      <p>{t('request.intro')}</p>
      <form onSubmit={submit} noValidate>
        <ErrorNotice error={error} />
        <TextField label={t('field.acronym')} required value={acronym} onChange={setAcronym} hint={t('request.acronymHint')} autoComplete="off" />
        <TextField label={t('field.fullName')} value={name} onChange={setName} autoComplete="off" />
        <TextArea label={t('field.description')} value={description} onChange={setDescription} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('request.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
