import { DEFAULT_LIMIT } from '@latchkey/contract';
import { DomainError } from '../../domain/errors.js';

/**
 * The cursors behind the contract's `Page`/`PageQuery` (@latchkey/contract): a cursor wraps the sort key
 * of the last item shown, so pages stay stable while rows are added.
 */
export type CursorKey = string | number | readonly (string | number)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key inside a cursor; a cursor that is not one of ours is a 400 naming the `cursor` field. */
export function decodeCursor<K extends CursorKey>(cursor: string | undefined, isKey: (value: unknown) => value is K): K | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (isKey(value)) return value;
  } catch {
    // Reported below, like any other cursor we did not issue.
  }
  const issue = { field: 'cursor', message: 'is not a cursor this API issued: pass next_cursor from the previous page unchanged' };
  throw new DomainError('bad_request', `cursor: ${issue.message}`, { fields: [issue] });
}

export const isNumberKey = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);
export const isStringKey = (value: unknown): value is string => typeof value === 'string';

/**
 * A page from `rows` fetched with `limit + 1` (one more than shown, to know whether another page exists).
 */
export function pageOf<Row, Item>(
  rows: readonly Row[],
  limit: number,
  keyOf: (row: Row) => CursorKey,
  toItem: (row: Row) => Item,
): { items: Item[]; next_cursor: string | null } {
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    items: shown.map(toItem),
    next_cursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}

/** Pages an in-memory list sorted by a unique string key (small lists such as the catalog). */
export function pageOfSorted<Row, Item>(
  rows: readonly Row[],
  query: { limit?: number | undefined; cursor?: string | undefined },
  keyOf: (row: Row) => string,
  toItem: (row: Row) => Item,
): { items: Item[]; next_cursor: string | null } {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const after = decodeCursor(query.cursor, isStringKey);
  const rest = after === undefined ? rows : rows.filter((r) => keyOf(r) > after);
  return pageOf(rest.slice(0, limit + 1), limit, keyOf, toItem);
}
