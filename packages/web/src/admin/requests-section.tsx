import { useState } from 'react';
import { enc, pageOf } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { useApi } from '../use-api.js';
import { settings } from '../settings.js';
import { toApplication, type Application } from '../model.js';
import { Empty, ErrorNotice, Loading, Notice } from '../components/states.js';
import { DecisionForm } from './decision-form.js';

/** Pending account requests, and environment registrations waiting for an administrator. */
export function RequestsSection() {
  const { t } = useI18n();
  // Said here, not on the card: a decided request leaves the list.
  const [decided, setDecided] = useState<string | null>(null);
  const pending = useApi<unknown>('/applications?status=pending&limit=200');
  // Only where some environment needs approval: the list has no environments, each application's page does.
  const approved = useApi<unknown>(settings.approvalEnvironments.length > 0 ? '/applications?status=approved&limit=200' : null);
  const apps = pending.data === undefined ? [] : pageOf<Record<string, unknown>>(pending.data).items.map(toApplication);
  const approvedApps = approved.data === undefined ? [] : pageOf<Record<string, unknown>>(approved.data).items.map(toApplication);
  return (
    <>
      <section aria-labelledby="account-requests">
        <h2 id="account-requests">{t('admin.accountRequests')}</h2>
        <div aria-live="polite">{decided && <Notice kind="success">{decided}</Notice>}</div>
        {pending.loading && <Loading />}
        <ErrorNotice error={pending.error} />
        {pending.data !== undefined && apps.length === 0 && <Empty>{t('admin.noAccountRequests')}</Empty>}
        <ul className="cards">
          {apps.map((app) => (
            <li key={app.acronym} className="card">
              <RequestCard
                app={app}
                requestedAt={app.requestedAt}
                path={`/applications/${enc(app.acronym)}/approval`}
                title={app.acronym}
                review={`/admin/requests/${enc(app.acronym)}`}
                onDone={(message) => {
                  setDecided(message);
                  pending.reload();
                }}
              />
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="env-requests">
        <h2 id="env-requests">{t('admin.envRequests')}</h2>
        {settings.approvalEnvironments.length === 0 && <Empty>{t('admin.noApprovalEnvs')}</Empty>}
        <ErrorNotice error={approved.error} />
        <ul className="cards">
          {approvedApps.map((app) => (
            <EnvironmentRequests key={app.acronym} acronym={app.acronym} onDecided={setDecided} />
          ))}
        </ul>
      </section>
    </>
  );
}

function EnvironmentRequests({ acronym, onDecided }: { readonly acronym: string; onDecided(message: string): void }) {
  const loaded = useApi<Record<string, unknown>>(`/applications/${enc(acronym)}`);
  const app = loaded.data ? toApplication(loaded.data) : null;
  if (!app) return null;
  return (
    <>
      {app.environments
        .filter((e) => e.status === 'pending')
        .map((e) => (
          <li key={e.env} className="card">
            <RequestCard
              app={app}
              requestedAt={e.requestedAt}
              path={`/applications/${enc(app.acronym)}/environments/${enc(e.env)}/approval`}
              title={`${app.acronym} ${e.env.toUpperCase()}`}
              review={`/admin/requests/${enc(app.acronym)}/${enc(e.env)}`}
              onDone={(message) => {
                onDecided(message);
                loaded.reload();
              }}
            />
          </li>
        ))}
    </>
  );
}

/** A request's card: what was asked, a link to its review page (which also shows who asked), the decision. */
interface RequestCardProps {
  readonly app: Application;
  readonly requestedAt: string | number | null;
  /** The approval endpoint. */
  readonly path: string;
  readonly title: string;
  /** The request's own page, where the administrators' mail links to. */
  readonly review: string;
  onDone(message: string): void;
}

function RequestCard({ app, requestedAt, path, title, review, onDone }: RequestCardProps) {
  const { t, date } = useI18n();
  return (
    <>
      <h3>
        <Link to={review}>{title}</Link>
      </h3>
      <p>
        {app.name} {app.description && `— ${app.description}`}
      </p>
      <p className="muted">{t('admin.requestedAt', { when: date(requestedAt) })}</p>
      <DecisionForm path={path} what={title} onDone={onDone} />
    </>
  );
}
