import { useState } from 'react';
import { pageOf, query } from '../api.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import { useApi } from '../use-api.js';
import { str, time } from '../model.js';
import { CursorPager, useCursorPaging } from '../components/cursor-pager.js';
import { Empty, ErrorNotice, Loading } from '../components/states.js';

const STATUSES = ['queued', 'sent', 'logged', 'failed'] as const;

/** Mail the server has sent or queued, with its delivery status (the only copy when SMTP is not set). */
export function OutboxSection() {
  const { t, date } = useI18n();
  const [status, setStatus] = useState('');
  const paging = useCursorPaging();
  const loaded = useApi<unknown>(`/outbox${query({ status, limit: 50, cursor: paging.cursor })}`);
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
              paging.reset();
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
      <CursorPager paging={paging} next={page?.next_cursor} />
    </section>
  );
}
