import { useI18n, type MessageKey } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { hasRole, useSession } from '../session.js';
import { Page } from '../components/page.js';
import { Notice } from '../components/states.js';
import { RequestsSection } from './requests-section.js';
import { UsersSection } from './users-section.js';
import { CatalogSection } from './catalog-section.js';
import { AllTokensSection } from './all-tokens-section.js';
import { AuditSection } from './audit-section.js';
import { OutboxSection } from './outbox-section.js';

const SECTIONS: readonly { key: string; label: MessageKey; role: 'admin' | 'token_admin' }[] = [
  { key: 'requests', label: 'admin.requests', role: 'admin' },
  { key: 'users', label: 'admin.users', role: 'admin' },
  { key: 'catalog', label: 'admin.catalog', role: 'admin' },
  { key: 'tokens', label: 'admin.tokens', role: 'token_admin' },
  { key: 'audit', label: 'admin.audit', role: 'admin' },
  { key: 'outbox', label: 'admin.outbox', role: 'admin' },
];

export function AdminPage({ section }: { readonly section: string }) {
  const { t } = useI18n();
  const { user } = useSession();
  const allowed = SECTIONS.filter((s) => hasRole(user, s.role));
  const current = allowed.find((s) => s.key === section) ?? allowed[0];
  if (!current) {
    return (
      <Page title={t('admin.title')}>
        <Notice kind="warning">{t('admin.forbidden')}</Notice>
      </Page>
    );
  }
  return (
    <Page title={`${t('admin.title')}: ${t(current.label)}`}>
      <nav aria-label={t('admin.title')} className="subnav">
        <ul>
          {allowed.map((s) => (
            <li key={s.key}>
              <Link to={`/admin/${s.key}`} aria-current={s.key === current.key ? 'page' : undefined}>
                {t(s.label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {current.key === 'requests' && <RequestsSection />}
      {current.key === 'users' && <UsersSection />}
      {current.key === 'catalog' && <CatalogSection />}
      {current.key === 'tokens' && <AllTokensSection />}
      {current.key === 'audit' && <AuditSection />}
      {current.key === 'outbox' && <OutboxSection />}
    </Page>
  );
}
