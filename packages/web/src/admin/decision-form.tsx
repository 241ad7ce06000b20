import { useId, useState } from 'react';
import type { Decision } from '@latchkey/contract';
import { api, ApiError, toApiError } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { ErrorNotice } from '../components/states.js';

export interface DecisionFormProps {
  /** The approval endpoint under /api/v1, e.g. `/applications/ACR/approval`. */
  readonly path: string;
  /** What is decided, as the buttons and the result name it ("ACR", "ACR TEST"). */
  readonly what: string;
  onDone(message: string): void;
}

/** Approve or reject a request, with an optional reason that the requester's mail carries. */
export function DecisionForm({ path, what, onDone }: DecisionFormProps) {
  const { t } = useI18n();
  const id = useId();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const decide = async (decision: Decision['decision']): Promise<void> => {
    setError(null);
    setBusy(true);
    try {
      const body: Decision = reason.trim() ? { decision, reason: reason.trim() } : { decision };
      await api('POST', path, body);
      onDone(t(decision === 'approve' ? 'admin.approved' : 'admin.rejected', { what }));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <ErrorNotice error={error} />
      <div className="field">
        <label htmlFor={id}>{t('admin.reason')}</label>
        <input id={id} value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <div className="actions start">
        <button type="button" disabled={busy} onClick={() => void decide('approve')} aria-label={`${t('admin.approve')}: ${what}`}>
          {t('admin.approve')}
        </button>
        <button type="button" disabled={busy} className="danger" onClick={() => void decide('reject')} aria-label={`${t('admin.reject')}: ${what}`}>
          {t('admin.reject')}
        </button>
      </div>
    </>
  );
}
