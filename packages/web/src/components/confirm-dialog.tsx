import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { Dialog } from './dialog.js';

interface ConfirmProps {
  readonly title: string;
  readonly children: ReactNode;
  readonly confirmLabel: string;
  readonly busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

export function ConfirmDialog({ title, children, confirmLabel, busy = false, onConfirm, onCancel }: ConfirmProps) {
  const { t } = useI18n();
  return (
    <Dialog title={title} onCancel={onCancel} role="alertdialog">
      {children}
      <div className="actions">
        <button type="button" className="secondary" onClick={onCancel} data-autofocus>
          {t('common.cancel')}
        </button>
        <button type="button" className="danger" disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
