import { useState, type FormEvent } from 'react';
import { api, ApiError, enc, pageOf } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate } from '../router.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';
import { toApplication, type Application } from '../model.js';
import { Page } from '../components/page.js';
import { TextArea, TextField } from '../components/field.js';
import { Empty, ErrorNotice, Loading } from '../components/states.js';
import { StatusBadge } from '../components/status-badge.js';

export function ApplicationsPage() {
  const { t } = useI18n();
  const { user } = useSession();
  const loaded = useApi<unknown>('/applications?limit=200');
  const apps = loaded.data === undefined ? [] : pageOf<Record<string, unknown>>(loaded.data).items.map(toApplication);
  // The last request (mine first) pre-fills the form: a rejected request is usually asked again with changes.
  const mine = apps.filter((a) => a.requestedBy === user?.id);
  const last = [...(mine.length > 0 ? mine : apps)].sort((a, b) => Number(new Date(b.createdAt ?? 0)) - Number(new Date(a.createdAt ?? 0)))[0];
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
      {loaded.data !== undefined && <RequestAccountForm key={last?.acronym ?? ''} last={last} />}
    </Page>
  );
}

function ApplicationItem({ app }: { readonly app: Application }) {
  const { t } = useI18n();
  const registered = app.environments.filter((e) => e.status === 'approved').map((e) => e.env.toUpperCase());
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
    </li>
  );
}

function RequestAccountForm({ last }: { readonly last: Application | undefined }) {
  const { t } = useI18n();
  const [acronym, setAcronym] = useState(last?.status === 'rejected' ? last.acronym : '');
  const [name, setName] = useState(last?.name ?? '');
  const [description, setDescription] = useState(last?.description ?? '');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = toApplication(await api<Record<string, unknown>>('POST', '/applications', { acronym, name, description }));
      navigate(`/applications/${enc(created.acronym || acronym.toUpperCase())}`);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
      setBusy(false);
    }
  };
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
