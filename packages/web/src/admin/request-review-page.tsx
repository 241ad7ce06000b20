import { useState, type ReactNode } from 'react';
import type { ApplicationDetailsJson, EnvironmentJson, ServiceJson } from '@latchkey/contract';
import { enc } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { hasRole, useSession } from '../session.js';
import { useApi, useApiAll } from '../use-api.js';
import { Page } from '../components/page.js';
import { ErrorNotice, Loading, Notice } from '../components/states.js';
import { StatusBadge } from '../components/status-badge.js';
import { DecisionForm } from './decision-form.js';

/**
 * One request as an administrator decides it: who asked, when, and what, then Approve or Reject. The mail
 * that tells administrators about a request links here: `/admin/requests/<ACRONYM>` for an account,
 * `/admin/requests/<ACRONYM>/<env>` for an environment waiting for approval.
 */
export function RequestReviewPage({ acronym, env }: { readonly acronym: string; readonly env?: string | undefined }) {
  const { t } = useI18n();
  const { user } = useSession();
  const admin = hasRole(user, 'admin');
  const upper = acronym.toUpperCase();
  const what = env === undefined ? upper : `${upper} ${env.toUpperCase()}`;
  const title = t(env === undefined ? 'review.accountTitle' : 'review.environmentTitle', { what });
  const [decided, setDecided] = useState<string | null>(null);
  const loaded = useApi<ApplicationDetailsJson>(admin ? `/applications/${enc(acronym)}` : null);
  const app = loaded.data;
  const appLink = <Link to={`/applications/${enc(upper)}`}>{t('review.openApplication', { acronym: upper })}</Link>;
  if (!admin) {
    return (
      <Page title={title}>
        <Notice kind="warning">
          <p>{t('review.notAdmin')}</p>
          <p>
            {t('review.notAdminHelp', { acronym: upper })} {appLink}
          </p>
        </Notice>
      </Page>
    );
  }
  const environment = env === undefined ? undefined : app?.environments.find((e) => e.env === env.toLowerCase());
  // An application and an environment registration carry the same request fields (status, requester, times, reason).
  const request: Request | undefined = env === undefined ? app : environment;
  const path = env === undefined ? `/applications/${enc(upper)}/approval` : `/applications/${enc(upper)}/environments/${enc(env.toLowerCase())}/approval`;
  return (
    <Page title={title} actions={request && request.status !== 'unregistered' && <StatusBadge status={request.status} />}>
      <div aria-live="polite">{decided && <Notice kind="success">{decided}</Notice>}</div>
      {loaded.loading && !app && <Loading />}
      <ErrorNotice error={loaded.error} />
      {app && !request && <Notice kind="warning">{t('review.noRegistration', { what })}</Notice>}
      {app && request && (
        <>
          <section aria-labelledby="review-request">
            <h2 id="review-request">{t('review.request')}</h2>
            <RequestFacts app={app} request={request} environment={environment} />
          </section>
          {request.status === 'pending' ? (
            <section aria-labelledby="review-decision">
              <h2 id="review-decision">{t('review.decision')}</h2>
              <p className="muted">{t('review.decisionHelp')}</p>
              <DecisionForm
                path={path}
                what={what}
                onDone={(message) => {
                  setDecided(message);
                  loaded.reload();
                }}
              />
            </section>
          ) : (
            <Outcome request={request} />
          )}
        </>
      )}
      <p className="actions start">
        <Link to="/admin/requests">{t('review.allRequests')}</Link> {appLink}
      </p>
    </Page>
  );
}

function RequestFacts({ app, request, environment }: { readonly app: ApplicationDetailsJson; readonly request: Request; readonly environment: EnvironmentJson | undefined }) {
  const { t, date } = useI18n();
  const catalog = useApiAll<ServiceJson>(environment ? '/services' : null);
  const names = new Map((catalog.data ?? []).map((s) => [s.key, s.name]));
  const requester = request.requester;
  const fact = (term: string, value: ReactNode): ReactNode => (
    <div key={term}>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
  return (
    <dl className="facts">
      {fact(
        t('review.requestedBy'),
        requester ? (
          <>
            <span>{requester.name}</span> (<a href={`mailto:${requester.email}`}>{requester.email}</a>)
          </>
        ) : (
          t('review.byOperator')
        ),
      )}
      {fact(t('review.requestedAt'), <time dateTime={request.requested_at ?? undefined}>{date(request.requested_at)}</time>)}
      {fact(t('field.acronym'), app.acronym)}
      {fact(t('field.fullName'), app.name)}
      {fact(t('field.description'), app.description || t('review.noDescription'))}
      {environment && fact(t('review.environment'), environment.env.toUpperCase())}
      {environment &&
        fact(
          t('review.services'),
          grantsOf(environment).map((g) => (
            <span key={g.service} className="grant">
              <strong>{names.get(g.service) ?? g.service}</strong> ({g.service}): {g.scopes.length > 0 ? g.scopes.map((s) => <code key={s}>{s}</code>) : t('cred.allScopes')}
            </span>
          )),
        )}
      {environment && (environment.name || environment.description) && fact(t('review.registrationNote'), [environment.name, environment.description].filter(Boolean).join(' — '))}
    </dl>
  );
}

/** A request already decided (here a moment ago, or by another administrator before the link was followed). */
function Outcome({ request }: { readonly request: Request }) {
  const { t, date } = useI18n();
  return (
    <Notice kind={request.status === 'rejected' ? 'warning' : 'info'}>
      <p>{t(request.status === 'rejected' ? 'review.rejectedOn' : 'review.approvedOn', { when: date(request.decided_at) })}</p>
      {reasonOf(request) && <p>{t('review.reason', { reason: reasonOf(request) ?? '' })}</p>}
    </Notice>
  );
}

/** An account request (the application) or an environment registration: they carry the same request fields. */
type Request = ApplicationDetailsJson | EnvironmentJson;

function reasonOf(request: Request): string | null {
  return 'decision_reason' in request ? request.decision_reason : request.reason;
}

/** What the environment holds (its client's grants), or, before it has a client, what was asked for. */
function grantsOf(environment: EnvironmentJson): readonly { service: string; scopes: readonly string[] }[] {
  return environment.client?.grants ?? environment.services.map((s) => ({ service: s.key, scopes: s.scopes ?? [] }));
}
