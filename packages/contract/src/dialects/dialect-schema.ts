import { Type } from 'typebox';

export const DIALECT_TAG = 'token dialects';

/** `{status, error, message, fields?}`: the error body the authenticate and access-token dialects document. */
export function StatusErrorBody(title: string) {
  return Type.Object(
    {
      status: Type.Integer(),
      error: Type.String(),
      message: Type.String(),
      fields: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
    },
    { title },
  );
}
