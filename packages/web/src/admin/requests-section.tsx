import { useState } from 'react';
import type { ApplicationListItemJson, EnvironmentSummaryJson } from '@latchkey/contract';
import { enc } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { useApiAll } from '../use-api.js';
import { settings } from '../settings.js';
import { Empty, ErrorNotice, Loading, Notice } from '../components/states.js';
import { DecisionForm } from './decision-form.js';

/** Pending account requests, and environment registrations waiting for an administrator. */
export function RequestsSection() {
  const { t } = useI18n();
  // Said here, not on the card: a decided request leaves the list.
  const [decided, setDecided] = useState<string | null>(null);
  const pending = useApiAll<ApplicationListItemJson>('/applications?status=pending');
  // Only where some environment needs approval; the list carries each application's environments.
  const approved = useApiAll<ApplicationListItemJson>(settings.approvalEnvironments.length > 0 ? '/applications?status=approved&include=environments' : null);
  const apps = pending.data ?? [];
  const waiting = (approved.data ?? []).flatMap((app) => (app.environments ?? []).filter((e) => e.status === 'pending').map((e) => [app, e] as const));
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
                requestedAt={app.requested_at}
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
          {waiting.map(([app, e]) => (
            <EnvironmentRequest
              key={`${app.acronym}/${e.env}`}
              app={app}
              environment={e}
              onDone={(message) => {
                setDecided(message);
                approved.reload();
              }}
            />
          ))}
        </ul>
      </section>
    </>
  );
}

function EnvironmentRequest({ app, environment: e, onDone }: { readonly app: ApplicationListItemJson; readonly environment: EnvironmentSummaryJson; onDone(message: string): void }) {
  return (
    <li className="card">
      <RequestCard
        app={app}
        requestedAt={e.requested_at}
        path={`/applications/${enc(app.acronym)}/environments/${enc(e.env)}/approval`}
        title={`${app.acronym} ${e.env.toUpperCase()}`}
        review={`/admin/requests/${enc(app.acronym)}/${enc(e.env)}`}
        onDone={onDone}
      />
    </li>
  );
}

/** A request's card: what was asked, a link to its review page (which also shows who asked), the decision. */
interface RequestCardProps {
  readonly app: ApplicationListItemJson;
  readonly requestedAt: string | null;
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
