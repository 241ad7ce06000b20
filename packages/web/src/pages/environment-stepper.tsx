import { useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { settings } from '../settings.js';
import { enc } from '../api.js';
import { Link } from '../router.js';
import { hasRole, useSession } from '../session.js';
import type { ApplicationDetailsJson, EnvironmentJson } from '@latchkey/contract';
import { StatusBadge } from '../components/status-badge.js';
import { CredentialCard } from './credential-card.js';
import { RegisterEnvironmentForm } from './register-environment-form.js';

/** DEV → TEST → PROD, in order: an environment opens once the one before it is registered. */
export function EnvironmentStepper({ app, onChange }: { readonly app: ApplicationDetailsJson; onChange(): void }) {
  const { t } = useI18n();
  const [registering, setRegistering] = useState<string | null>(null);
  const byEnv = new Map(app.environments.map((e) => [e.env, e]));
  const order = [...settings.environments, ...app.environments.map((e) => e.env).filter((e) => !settings.environments.includes(e))];
  return (
    <section aria-labelledby="environments">
      <h2 id="environments">{t('env.title')}</h2>
      <p>{t('env.intro')}</p>
      <ol className="stepper">
        {order.map((env, index) => {
          const registration = byEnv.get(env);
          const previous = index > 0 ? order[index - 1] : undefined;
          const previousDone = previous === undefined || byEnv.get(previous)?.status === 'approved';
          const label = env.toUpperCase();
          const reasonId = `env-${env}-reason`;
          return (
            <li key={env} className={`step ${registration?.status === 'approved' ? 'done' : previousDone ? 'open' : 'locked'}`} aria-current={!registration && previousDone ? 'step' : undefined}>
              <h3>
                <span className="step-number" aria-hidden="true">
                  {index + 1}
                </span>
                {label}{' '}
                {registration?.status === 'approved' ? <span className="badge approved">{t('env.registered')}</span> : registration && registration.status !== 'unregistered' && <StatusBadge status={registration.status} />}
              </h3>
              <StepBody
                app={app}
                env={env}
                registration={registration}
                previousDone={previousDone}
                previousLabel={previous?.toUpperCase() ?? ''}
                reasonId={reasonId}
                registering={registering === env}
                onRegister={() => setRegistering(env)}
                onDone={() => {
                  setRegistering(null);
                  onChange();
                }}
                onCancel={() => setRegistering(null)}
                previous={previous ? byEnv.get(previous) : undefined}
              />
            </li>
          );
        })}
      </ol>
    </section>
  );
}

interface StepBodyProps {
  readonly app: ApplicationDetailsJson;
  readonly env: string;
  readonly registration: EnvironmentJson | undefined;
  readonly previous: EnvironmentJson | undefined;
  readonly previousDone: boolean;
  readonly previousLabel: string;
  readonly reasonId: string;
  readonly registering: boolean;
  onRegister(): void;
  onDone(): void;
  onCancel(): void;
}

function StepBody(props: StepBodyProps) {
  const { t } = useI18n();
  const { user } = useSession();
  const { registration, env } = props;
  const label = env.toUpperCase();
  if (registration?.status === 'approved' && registration.client) return <CredentialCard acronym={props.app.acronym} env={env} client={registration.client} onChange={props.onDone} />;
  if (registration?.status === 'pending') {
    return (
      <p className="muted">
        {t('env.pendingApproval')}{' '}
        {hasRole(user, 'admin') && <Link to={`/admin/requests/${enc(props.app.acronym)}/${enc(env)}`}>{t('app.review')}</Link>}
      </p>
    );
  }
  if (props.registering) {
    return <RegisterEnvironmentForm app={props.app} env={env} previous={props.previous} onDone={props.onDone} onCancel={props.onCancel} />;
  }
  return (
    <>
      {registration?.status === 'rejected' && (
        <p className="notice warning">
          {t('env.rejected')} {registration.reason || t('apps.noReason')}
        </p>
      )}
      {needsApproval(props.app, env) && <p className="muted">{t('env.needsApproval')}</p>}
      <button type="button" disabled={!props.previousDone} aria-describedby={props.previousDone ? undefined : props.reasonId} onClick={props.onRegister}>
        {t('env.register', { env: label })}
      </button>
      {!props.previousDone && (
        <p id={props.reasonId} className="muted">
          {t('env.locked', { previous: props.previousLabel, env: label })}
        </p>
      )}
    </>
  );
}

/** An administrator approves this environment's registrations (LATCHKEY_APPROVAL_ENVIRONMENTS), as the server or the application says. */
function needsApproval(app: ApplicationDetailsJson, env: string): boolean {
  if (settings.approvalEnvironments.includes(env)) return true;
  if (app.next_environment?.env === env) return app.next_environment.needs_approval;
  return app.environments.some((e) => e.env === env && e.needs_approval);
}
