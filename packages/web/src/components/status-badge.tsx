import type { ApplicationStatus } from '@latchkey/contract';
import { useI18n } from '../i18n/i18n.js';

export function StatusBadge({ status }: { readonly status: ApplicationStatus }) {
  const { t } = useI18n();
  return <span className={`badge ${status}`}>{t(`status.${status}`)}</span>;
}
