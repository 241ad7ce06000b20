import { useState } from 'react';
import { useI18n } from '../i18n/i18n.js';

export interface CursorPaging {
  /** The cursor of the page shown (`null` for the first). */
  readonly cursor: string | null;
  readonly isFirst: boolean;
  readonly back: () => void;
  readonly forward: (next: string) => void;
  /** Back to the first page, after the filters change. */
  readonly reset: () => void;
}

/** Paging through a list endpoint's `next_cursor`: keeps the cursors of the pages before this one, to go back. */
export function useCursorPaging(): CursorPaging {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    cursor: cursors[cursors.length - 1] ?? null,
    isFirst: cursors.length <= 1,
    back: () => setCursors((c) => c.slice(0, -1)),
    forward: (next) => setCursors((c) => [...c, next]),
    reset: () => setCursors([null]),
  };
}

/** The Newer / Older buttons under a paged list. */
export function CursorPager({ paging, next }: { paging: CursorPaging; next: string | null | undefined }) {
  const { t } = useI18n();
  return (
    <div className="actions start">
      <button type="button" className="secondary" disabled={paging.isFirst} onClick={paging.back}>
        {t('audit.newer')}
      </button>
      <button type="button" className="secondary" disabled={!next} onClick={() => next && paging.forward(next)}>
        {t('audit.older')}
      </button>
    </div>
  );
}
