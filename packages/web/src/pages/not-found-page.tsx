import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { Page } from '../components/page.js';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <Page title={t('notFound.title')}>
      <p>{t('notFound.text')}</p>
      <p>
        <Link to="/applications">{t('nav.applications')}</Link>
      </p>
    </Page>
  );
}
