import { Type, type TSchema } from 'typebox';

/**
 * Lists answer `{items, next_cursor}` and take `limit` (default 50, at most 200) and an opaque `cursor`
 * (the `next_cursor` of the previous page; null on the last page).
 */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: `items per page (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT})` })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'next_cursor from the previous page' })),
});

/** A list route's own filters go beside these: `Type.Object({ ...PageQuery.properties, status: … })`. */

/** The page schema for items of `item`; a titled item's page is named after it (`ApplicationPage`) in OpenAPI. */
export function Page<T extends TSchema>(item: T) {
  const title = (item as { title?: unknown }).title;
  return Type.Object(
    {
      items: Type.Array(item),
      next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as `cursor` for the next page; null on the last page' }),
    },
    typeof title === 'string' ? { title: `${title}Page` } : {},
  );
}

/** The type of a `Page(item)` answer, for clients. */
export interface Paged<Item> {
  readonly items: Item[];
  readonly next_cursor: string | null;
}
