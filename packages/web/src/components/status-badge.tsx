import { useI18n } from '../i18n/i18n.js';
import type { Status } from '../model.js';

export function StatusBadge({ status }: { readonly status: Status }) {
  const { t } = useI18n();
  return <span className={`badge ${status}`}>{t(`status.${status}`)}</span>;
}
