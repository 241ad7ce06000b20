import { useState, type FormEvent } from 'react';
import { pageOf, query } from '../api.js';
import { ScrollArea } from '../components/scroll-area.js';
import { useI18n } from '../i18n/i18n.js';
import { useApi } from '../use-api.js';
import { str, time } from '../model.js';
import { CursorPager, useCursorPaging } from '../components/cursor-pager.js';
import { Empty, ErrorNotice, Loading } from '../components/states.js';

const PAGE = 50;

/** The audit log, newest first: filters and paging through the API's cursor. */
export function AuditSection() {
  const { t, date } = useI18n();
  const [filters, setFilters] = useState({ application: '', action: '', actor: '', target: '' });
  const [applied, setApplied] = useState(filters);
  const paging = useCursorPaging();
  const loaded = useApi<unknown>(`/audit${query({ ...applied, limit: PAGE, cursor: paging.cursor })}`);
  const page = loaded.data === undefined ? null : pageOf<Record<string, unknown>>(loaded.data);
  const apply = (event: FormEvent): void => {
    event.preventDefault();
    setApplied(filters);
    paging.reset();
  };
  return (
    <section aria-labelledby="audit">
      <h2 id="audit">{t('admin.audit')}</h2>
      <form onSubmit={apply} className="filters" aria-label={t('audit.filters')}>
        {(['application', 'action', 'actor', 'target'] as const).map((name) => (
          <div className="field" key={name}>
            <label htmlFor={`audit-${name}`}>{t(`audit.${name}`)}</label>
            <input id={`audit-${name}`} value={filters[name]} onChange={(e) => setFilters((f) => ({ ...f, [name]: e.target.value }))} />
          </div>
        ))}
        <button type="submit">{t('audit.apply')}</button>
      </form>
      <p className="hint">{t('audit.filtersHint')}</p>
      {loaded.loading && <Loading />}
      <ErrorNotice error={loaded.error} />
      {page && page.items.length === 0 && <Empty>{t('audit.empty')}</Empty>}
      {page && page.items.length > 0 && (
        <ScrollArea label={t('admin.audit')}>
          <table className="audit">
            <thead>
              <tr>
                <th scope="col">{t('audit.when')}</th>
                <th scope="col">{t('audit.actor')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.target')}</th>
                <th scope="col">{t('audit.from')}</th>
                <th scope="col">{t('audit.details')}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((e, i) => (
                <tr key={str(e, 'id') || i}>
                  <td>{date(time(e, 'at', 'created_at', 'createdAt'))}</td>
                  <td>{str(e, 'actor_email', 'actorEmail', 'actor', 'actor_id', 'actorId')}</td>
                  <td>
                    <code>{str(e, 'action')}</code>
                  </td>
                  <td>{str(e, 'target')}</td>
                  <td>{str(e, 'address', 'ip', 'from')}</td>
                  <td>
                    {hasDetails(e.details) && (
                      <details>
                        <summary>{t('audit.show')}</summary>
                        <pre className="details">{JSON.stringify(e.details, null, 2)}</pre>
                      </details>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      )}
      <CursorPager paging={paging} next={page?.next_cursor} />
    </section>
  );
}

function hasDetails(details: unknown): boolean {
  return typeof details === 'object' && details !== null && Object.keys(details).length > 0;
}
