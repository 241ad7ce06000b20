import { useState } from 'react';
import { api, enc, pageOf } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate } from '../router.js';
import { useApi, useSubmit } from '../use-api.js';
import { toApplication, type Application } from '../model.js';
import { Page } from '../components/page.js';
import { TextArea, TextField } from '../components/field.js';
import { Empty, ErrorNotice, Loading } from '../components/states.js';
import { StatusBadge } from '../components/status-badge.js';

export function ApplicationsPage() {
  const { t } = useI18n();
  const loaded = useApi<unknown>('/applications?limit=200');
  // Your last request pre-fills the form: a rejected request is usually asked again with changes.
  const draft = useApi<Draft | null>('/application-draft');
  const apps = loaded.data === undefined ? [] : pageOf<Record<string, unknown>>(loaded.data).items.map(toApplication);
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

interface Draft {
  readonly acronym: string;
  readonly name: string;
  readonly description: string;
  readonly status: string;
}

function ApplicationItem({ app }: { readonly app: Application }) {
  const { t } = useI18n();
  // The list does not carry environments: an approved application's own page does.
  const details = useApi<Record<string, unknown>>(app.status === 'approved' && app.environments.length === 0 ? `/applications/${enc(app.acronym)}` : null);
  const environments = details.data ? toApplication(details.data).environments : app.environments;
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
          {t('apps.rejectedReason')} {app.reason || t('apps.noReason')}
        </p>
      )}
      {app.status === 'pending' && <p className="muted">{t('apps.pendingHelp')}</p>}
      {app.status === 'approved' && <p className="muted">{registered.length > 0 ? t('apps.registered', { envs: registered.join(', ') }) : t('apps.noneRegistered')}</p>}
      {waiting.length > 0 && <p className="muted">{t('apps.waiting', { envs: waiting.join(', ') })}</p>}
    </li>
  );
}

function RequestAccountForm({ draft }: { readonly draft: Draft | null }) {
  const { t } = useI18n();
  const [acronym, setAcronym] = useState(draft?.status === 'rejected' ? draft.acronym : '');
  const [name, setName] = useState(draft?.name ?? '');
  const [description, setDescription] = useState(draft?.description ?? '');
  const { busy, error, submit } = useSubmit(async () => {
    const created = toApplication(await api<Record<string, unknown>>('POST', '/applications', { acronym, name, description }));
    navigate(`/applications/${enc(created.acronym || acronym.toUpperCase())}`);
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
