import { useState, type FormEvent } from 'react';
import type { AuditEventJson, Paged } from '@latchkey/contract';
import { query } from '../api.js';
import { ScrollArea } from '../components/scroll-area.js';
import { useI18n } from '../i18n/i18n.js';
import { useApi } from '../use-api.js';
import { CursorPager, useCursorPaging } from '../components/cursor-pager.js';
import { Empty, ErrorNotice, Loading } from '../components/states.js';

const PAGE = 50;

/** The audit log, newest first: filters and paging through the API's cursor. */
export function AuditSection() {
  const { t, date } = useI18n();
  const [filters, setFilters] = useState({ application: '', action: '', actor: '', target: '' });
  const [applied, setApplied] = useState(filters);
  const paging = useCursorPaging();
  const loaded = useApi<Paged<AuditEventJson>>(`/audit${query({ ...applied, limit: PAGE, cursor: paging.cursor })}`);
  const page = loaded.data ?? null;
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
              {page.items.map((e) => (
                <tr key={e.id}>
                  <td>{date(e.at)}</td>
                  <td>{e.actor}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.target}</td>
                  <td>{e.address ?? ''}</td>
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

function hasDetails(details: AuditEventJson['details']): boolean {
  return Object.keys(details).length > 0;
}
