import { useState } from 'react';
import type { MailStatusJson, OutboxMessageJson, Paged } from '@latchkey/contract';
import { query } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { useApi } from '../use-api.js';
import { CursorPager, useCursorPaging } from '../components/cursor-pager.js';
import { Empty, ErrorNotice, Loading } from '../components/states.js';

const STATUSES: readonly MailStatusJson[] = ['queued', 'sent', 'logged', 'failed'];

/** Mail the server has sent or queued, with its delivery status (the only copy when SMTP is not set). */
export function OutboxSection() {
  const { t, date } = useI18n();
  const [status, setStatus] = useState<MailStatusJson | ''>('');
  const paging = useCursorPaging();
  const loaded = useApi<Paged<OutboxMessageJson>>(`/outbox${query({ status, limit: 50, cursor: paging.cursor })}`);
  const page = loaded.data ?? null;
  const statusLabel = (s: MailStatusJson): string => t(`outbox.status.${s}`);
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
              setStatus(e.target.value as MailStatusJson | '');
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
        {page?.items.map((m) => (
          <li key={m.id} className="card mail">
            <h3>{m.subject}</h3>
            <p>
              {t('outbox.to')} {m.to} · <span className={`badge ${m.status}`}>{statusLabel(m.status)}</span> · {date(m.created_at)}
            </p>
            {m.last_error && (
              <p className="notice error">
                {t('outbox.lastError', { attempts: m.attempts })} {m.last_error}
              </p>
            )}
            <details>
              <summary>{t('outbox.show')}</summary>
              <pre className="mail-text">
                {m.text
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
