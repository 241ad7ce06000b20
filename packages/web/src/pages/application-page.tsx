import type { ApplicationDetailsJson } from '@latchkey/contract';
import { enc } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, searchParam } from '../router.js';
import { hasRole, useSession } from '../session.js';
import { useApi } from '../use-api.js';
import { Page } from '../components/page.js';
import { ErrorNotice, Loading, Notice } from '../components/states.js';
import { StatusBadge } from '../components/status-badge.js';
import { EnvironmentStepper } from './environment-stepper.js';
import { TeamSection } from './team-section.js';

export function ApplicationPage({ acronym }: { readonly acronym: string }) {
  const { t } = useI18n();
  const { user } = useSession();
  const loaded = useApi<ApplicationDetailsJson>(`/applications/${enc(acronym)}`);
  const app = loaded.data;
  return (
    <Page title={app ? `${app.acronym}${app.name && app.name !== app.acronym ? ` — ${app.name}` : ''}` : acronym.toUpperCase()} actions={app && <StatusBadge status={app.status} />}>
      {searchParam('joined') && <Notice kind="success">{t('app.joined')}</Notice>}
      {loaded.loading && !app && <Loading />}
      <ErrorNotice error={loaded.error} />
      {app?.description && <p>{app.description}</p>}
      {app?.status === 'pending' &&
        (hasRole(user, 'admin') ? (
          <Notice>
            {t('app.pendingForAdmin')} <Link to={`/admin/requests/${enc(app.acronym)}`}>{t('app.review')}</Link>
          </Notice>
        ) : (
          <Notice>{t('app.pending')}</Notice>
        ))}
      {app?.status === 'rejected' && (
        <Notice kind="warning">
          {t('apps.rejectedReason')} {app.decision_reason || t('apps.noReason')}
        </Notice>
      )}
      {app?.status === 'approved' && <EnvironmentStepper app={app} onChange={loaded.reload} />}
      {app && <TeamSection acronym={app.acronym} />}
    </Page>
  );
}
