import { Type, type Static } from 'typebox';

/**
 * RFC 9457 problem details, the one wire format of portal API errors. `type` names the problem
 * (`urn:latchkey:problem:<code>`, stable for clients to switch on), `detail` says what to fix, and a 400
 * lists the offending `fields`.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json' as const;

export const PROBLEM_TYPE_PREFIX = 'urn:latchkey:problem:' as const;

/** One offending field of a 400: `services[0].key`, the notation domain validation uses too. */
export const FieldIssueJson = Type.Object({ field: Type.String(), message: Type.String() });
export type FieldIssueJson = Static<typeof FieldIssueJson>;

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    fields: Type.Optional(Type.Array(FieldIssueJson)),
    retry_after: Type.Optional(Type.Integer()),
  },
  { title: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' },
);
export type Problem = Static<typeof Problem>;
