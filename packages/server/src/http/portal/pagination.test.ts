import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.js';
import { decodeCursor, isNumberKey, pageOf, pageOfSorted } from './pagination.js';

describe('portal pagination', () => {
  const rows = ['a', 'b', 'c', 'd', 'e'];

  it('walks a sorted list page by page with opaque cursors, and ends with next_cursor null', () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = pageOfSorted(rows, { limit: 2, cursor }, (r) => r, (r) => r.toUpperCase());
      seen.push(...page.items);
      if (page.next_cursor === null) break;
      expect(page.next_cursor).not.toContain('c');
      cursor = page.next_cursor;
    }
    expect(seen).toEqual(['A', 'B', 'C', 'D', 'E']);
  });

  it('knows a page is the last from the extra row fetched', () => {
    expect(pageOf([3, 2], 2, (n) => n, (n) => n).next_cursor).toBeNull();
    const page = pageOf([3, 2, 1], 2, (n) => n, (n) => n);
    expect(page.items).toEqual([3, 2]);
    expect(decodeCursor(page.next_cursor ?? '', isNumberKey)).toBe(2);
  });

  it('refuses a cursor it did not issue with a 400 naming the cursor field', () => {
    for (const bad of ['not-base64!', Buffer.from('"text"').toString('base64url'), Buffer.from('{').toString('base64url')]) {
      try {
        decodeCursor(bad, isNumberKey);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).fields[0]?.field).toBe('cursor');
      }
    }
  });
});
