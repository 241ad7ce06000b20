import { pageOf } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { useApi } from '../use-api.js';
import { str, time } from '../model.js';
import { Empty, ErrorNotice, Loading } from '../components/states.js';

/** Mail the server has sent or queued, with its delivery status (the only copy when SMTP is not set). */
export function OutboxSection() {
  const { t, date } = useI18n();
  const loaded = useApi<unknown>('/outbox?limit=100');
  const items = loaded.data === undefined ? [] : pageOf<Record<string, unknown>>(loaded.data).items;
  return (
    <section aria-labelledby="outbox">
      <h2 id="outbox">{t('admin.outbox')}</h2>
      <p>{t('outbox.intro')}</p>
      <button type="button" className="secondary" onClick={loaded.reload}>
        {t('common.refresh')}
      </button>
      {loaded.loading && <Loading />}
      <ErrorNotice error={loaded.error} />
      {loaded.data !== undefined && items.length === 0 && <Empty>{t('outbox.empty')}</Empty>}
      <ul className="cards">
        {items.map((m, i) => (
          <li key={str(m, 'id') || i} className="card mail">
            <h3>{str(m, 'subject')}</h3>
            <p>
              {t('outbox.to')} {str(m, 'to')} · <span className={`badge ${str(m, 'status')}`}>{str(m, 'status')}</span> · {date(time(m, 'created_at', 'createdAt'))}
            </p>
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
    </section>
  );
}
