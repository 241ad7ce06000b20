import { Type } from 'typebox';

/** Times on the wire: RFC 3339 date-time strings (UTC, as `Date.prototype.toISOString` writes them). */
export const DateTime = Type.String({ format: 'date-time' });
export const NullableDateTime = Type.Union([DateTime, Type.Null()]);
export const NullableString = Type.Union([Type.String(), Type.Null()]);

/** A date-time or null, saying what null means. */
export const DateTimeOrNull = (description: string) => Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description });
