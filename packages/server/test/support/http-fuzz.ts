import fc from 'fast-check';

/** One generated request: method, content type, body and extra headers. */
export interface FuzzRequest {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=ISO-8859-1',
  'text/plain',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  '*/*',
];

/** A content-type header: the usual ones, odd parameters, or made-up types; sometimes none. */
export const contentType: fc.Arbitrary<string | null> = fc.oneof(
  fc.constantFrom(...CONTENT_TYPES),
  fc.stringMatching(/^[a-z]{1,8}\/[a-z0-9.+-]{1,12}(; ?[a-z]+=[a-z0-9-]{0,8})?$/),
  fc.constant(null),
);

/** Values a field might hold: plausible strings, long ones, and values of the wrong JSON type. */
const fieldValue = (known: readonly string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom(...known),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.string({ minLength: 90, maxLength: 600 }),
    fc.integer(),
    fc.constant(null),
    fc.boolean(),
    fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
  );

/** An object mixing the endpoint's own field names (with plausible or wrong values) and stray ones. */
const fields = (names: readonly string[], known: readonly string[]): fc.Arbitrary<Record<string, unknown>> =>
  fc.tuple(
    fc.dictionary(fc.constantFrom(...names), fieldValue(known), { maxKeys: names.length }),
    fc.dictionary(fc.string({ maxLength: 8 }), fieldValue(known), { maxKeys: 2 }),
  ).map(([own, stray]) => ({ ...stray, ...own }));

function formEncode(object: Record<string, unknown>): string {
  return Object.entries(object)
    .map(([k, v]) => `${encodeURIComponent(k)}=${typeof v === 'string' ? encodeURIComponent(v) : encodeURIComponent(JSON.stringify(v) ?? '')}`)
    .join('&');
}

/**
 * Bodies for an endpoint whose fields are `names` and whose plausible values are `known` (real ids,
 * secrets, grant types): JSON objects, form bodies, other JSON, broken JSON and escapes, raw text,
 * nothing, and bodies above the 16 KiB limit.
 */
export function body(names: readonly string[], known: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fields(names, known).map((o) => JSON.stringify(o)) },
    { weight: 4, arbitrary: fields(names, known).map(formEncode) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fields(names, known).map((o) => JSON.stringify(o).slice(0, -1)) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz=1', 'a=%E0%A4%A', '{"a":', '\u0000', '[]', 'null', '"x"', '{}', '=&=&') },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.integer({ min: 16 * 1024, max: 20 * 1024 }).map((n) => `client_id=${'a'.repeat(n)}`) },
  );
}

/** An Authorization header: Basic with generated or known credentials, other schemes, junk; or none. */
export function authorization(known: readonly string[]): fc.Arbitrary<string | null> {
  const part = fc.oneof(fc.constantFrom(...known), fc.string({ maxLength: 30 }));
  return fc.oneof(
    fc.constant(null),
    fc.tuple(part, part).map(([a, b]) => `Basic ${Buffer.from(`${a}:${b}`).toString('base64')}`),
    fc.string({ maxLength: 40 }).map((s) => `Basic ${s}`),
    fc.string({ maxLength: 40 }).map((s) => `Bearer ${s}`),
    fc.string({ maxLength: 40 }),
  );
}

/** Requests for one endpoint: any of `methods`, with the generators above. */
export function fuzzRequest(options: { methods: readonly string[]; fields: readonly string[]; known: readonly string[] }): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      method: fc.constantFrom(...options.methods),
      type: contentType,
      body: body(options.fields, options.known),
      auth: authorization(options.known),
      accept: fc.constantFrom(null, 'application/json', 'text/html', '*/*'),
    })
    .map(({ method, type, body: text, auth, accept }) => {
      const headers: Record<string, string> = {};
      if (type !== null) headers['content-type'] = type;
      if (auth !== null) headers.authorization = auth;
      if (accept !== null) headers.accept = accept;
      return { method, headers, body: text };
    });
}
