import { useState } from 'react';
import { pageOf, query } from '../api.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import { useApi } from '../use-api.js';
import { str, time } from '../model.js';
import { Empty, ErrorNotice, Loading } from '../components/states.js';

const STATUSES = ['queued', 'sent', 'logged', 'failed'] as const;

/** Mail the server has sent or queued, with its delivery status (the only copy when SMTP is not set). */
export function OutboxSection() {
  const { t, date } = useI18n();
  const [status, setStatus] = useState('');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const loaded = useApi<unknown>(`/outbox${query({ status, limit: 50, cursor })}`);
  const page = loaded.data === undefined ? null : pageOf<Record<string, unknown>>(loaded.data);
  const statusLabel = (s: string): string => ((STATUSES as readonly string[]).includes(s) ? t(`outbox.status.${s}` as MessageKey) : s);
  return (
    <section aria-labelledby="outbox">
      <h2 id="outbox">{t('admin.outbox')}</h2>
      <p>{t('outbox.intro')}</p>
      <div className="filters">
        <div className="field">
          <label htmlFor="outbox-status">{t('outbox.statusFilter')}</label>
          <select
            id="outbox-status"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setCursors([null]);
            }}
          >
            <option value="">{t('outbox.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="secondary" onClick={loaded.reload}>
          {t('common.refresh')}
        </button>
      </div>
      {loaded.loading && <Loading />}
      <ErrorNotice error={loaded.error} />
      {page && page.items.length === 0 && <Empty>{t('outbox.empty')}</Empty>}
      <ul className="cards single">
        {page?.items.map((m, i) => (
          <li key={str(m, 'id') || i} className="card mail">
            <h3>{str(m, 'subject')}</h3>
            <p>
              {t('outbox.to')} {str(m, 'to')} · <span className={`badge ${str(m, 'status')}`}>{statusLabel(str(m, 'status'))}</span> · {date(time(m, 'created_at', 'createdAt'))}
            </p>
            {str(m, 'last_error') && (
              <p className="notice error">
                {t('outbox.lastError', { attempts: str(m, 'attempts') || '1' })} {str(m, 'last_error')}
              </p>
            )}
            <details>
              <summary>{t('outbox.show')}</summary>
              <pre className="mail-text">
                {str(m, 'text')
                  .split(/(https?:\/\/[^\s<>"]+)/)
                  .map((part, j) => (j % 2 === 1 ? <a key={j} href={part}>{part}</a> : part))}
              </pre>
            </details>
          </li>
        ))}
      </ul>
      <div className="actions start">
        <button type="button" className="secondary" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          {t('audit.newer')}
        </button>
        <button type="button" className="secondary" disabled={!page?.next_cursor} onClick={() => page?.next_cursor && setCursors((c) => [...c, page.next_cursor])}>
          {t('audit.older')}
        </button>
      </div>
    </section>
  );
}
