import type { MessageKey } from '../i18n/i18n.js';

/** How each token endpoint is called: what the Get Access Token page documents, builds and sends. */
export type Format = 'json' | 'form';

export interface DialectField {
  readonly name: string;
  readonly required: boolean;
  readonly maxLength?: number;
  /** A fixed value (grant_type), or where the example value comes from. */
  readonly value: 'clientId' | 'clientSecret' | 'scope' | string;
  readonly description: MessageKey;
}

export interface ResponseCode {
  readonly status: number;
  readonly meaning: MessageKey;
  readonly action: MessageKey;
}

export interface Dialect {
  readonly id: 'oauth2' | 'access-token' | 'authenticate' | 'token-api';
  readonly label: MessageKey;
  readonly note: MessageKey;
  readonly path: string;
  readonly formats: readonly Format[];
  readonly fields: readonly DialectField[];
  readonly tokenField: string;
  readonly success: Readonly<Record<string, string | number>>;
  readonly codes: readonly ResponseCode[];
}

const OK: ResponseCode = { status: 200, meaning: 'code.ok', action: 'code.okAction' };
const LIMITED: ResponseCode = { status: 429, meaning: 'code.limited', action: 'code.limitedAction' };
const BAD_CLIENT: ResponseCode = { status: 401, meaning: 'code.badClient', action: 'code.badClientAction' };

/** The client-credentials fields the OAuth 2.0 and access-token endpoints share. */
const CLIENT_FIELDS: readonly DialectField[] = [
  { name: 'client_id', required: true, value: 'clientId', description: 'fieldDoc.clientId' },
  { name: 'client_secret', required: true, value: 'clientSecret', description: 'fieldDoc.clientSecret' },
  { name: 'scope', required: false, value: 'scope', description: 'fieldDoc.scope' },
];

const EXAMPLE_JWT = 'eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9…';
const OAUTH_SUCCESS = { access_token: EXAMPLE_JWT, token_type: 'Bearer', expires_in: 600, scope: 'email:send' } as const;

export const DIALECTS: readonly Dialect[] = [
  {
    id: 'oauth2',
    label: 'dialect.oauth2',
    note: 'dialect.oauth2Note',
    path: '/oauth/token',
    formats: ['form'],
    fields: [
      { name: 'grant_type', required: true, value: 'client_credentials', description: 'fieldDoc.grantType' },
      ...CLIENT_FIELDS,
    ],
    tokenField: 'access_token',
    success: OAUTH_SUCCESS,
    codes: [
      OK,
      { status: 400, meaning: 'code.oauth400', action: 'code.oauth400Action' },
      BAD_CLIENT,
      LIMITED,
    ],
  },
  {
    id: 'access-token',
    label: 'dialect.accessToken',
    note: 'dialect.accessTokenNote',
    path: '/api/v1/access-token',
    formats: ['json', 'form'],
    fields: CLIENT_FIELDS,
    tokenField: 'access_token',
    success: OAUTH_SUCCESS,
    codes: [
      OK,
      { status: 400, meaning: 'code.badScope', action: 'code.badScopeAction' },
      BAD_CLIENT,
      { status: 404, meaning: 'code.unknownClient', action: 'code.unknownClientAction' },
      { status: 412, meaning: 'code.validation', action: 'code.validationAction' },
      { status: 503, meaning: 'code.unavailable', action: 'code.unavailableAction' },
    ],
  },
  {
    id: 'authenticate',
    label: 'dialect.authenticate',
    note: 'dialect.authenticateNote',
    path: '/api/auth/v1/authenticate',
    formats: ['json'],
    fields: [
      { name: 'clientId', required: true, maxLength: 100, value: 'clientId', description: 'fieldDoc.clientId' },
      { name: 'clientSecret', required: true, maxLength: 100, value: 'clientSecret', description: 'fieldDoc.clientSecret' },
    ],
    tokenField: 'accessToken',
    success: { accessToken: EXAMPLE_JWT, tokenType: 'Bearer', expirationTime: 1767225600000, tokenValiditySec: 600 },
    codes: [
      OK,
      { status: 400, meaning: 'code.validation', action: 'code.validationAction' },
      BAD_CLIENT,
      LIMITED,
    ],
  },
  {
    id: 'token-api',
    label: 'dialect.tokenApi',
    note: 'dialect.tokenApiNote',
    path: '/Token',
    formats: ['form'],
    fields: [
      { name: 'grant_type', required: true, value: 'password', description: 'fieldDoc.grantPassword' },
      { name: 'username', required: true, value: 'username', description: 'fieldDoc.username' },
      { name: 'password', required: true, value: 'clientSecret', description: 'fieldDoc.password' },
    ],
    tokenField: 'access_token',
    success: { access_token: EXAMPLE_JWT, token_type: 'bearer', expires_in: 1209600, userName: 'you@example.org' },
    codes: [
      OK,
      { status: 400, meaning: 'code.badPassword', action: 'code.badPasswordAction' },
      LIMITED,
    ],
  },
];

export interface BuiltRequest {
  readonly url: string;
  readonly contentType: string;
  readonly body: string;
  readonly curl: string;
}

const SECRET_PLACEHOLDER = '$CLIENT_SECRET';

/** The request a dialect expects, with the given values (the secret as a shell variable in curl). */
export function buildRequest(dialect: Dialect, format: Format, origin: string, values: Readonly<Record<string, string>>): BuiltRequest {
  const present = dialect.fields.filter((f) => f.required || (values[f.value] ?? '') !== '');
  const pairs = present.map((f) => [f.name, values[f.value] ?? f.value] as const);
  // curl never carries the secret itself: it reads it from the shell.
  const shown = present.map((f) => [f.name, f.value === 'clientSecret' ? SECRET_PLACEHOLDER : (values[f.value] ?? f.value)] as const);
  const url = origin + dialect.path;
  const json = format === 'json';
  const contentType = json ? 'application/json' : 'application/x-www-form-urlencoded';
  const body = json ? JSON.stringify(Object.fromEntries(pairs), null, 2) : new URLSearchParams(pairs.map(([k, v]) => [k, v])).toString();
  const data = json
    ? [`  --data '${JSON.stringify(Object.fromEntries(shown)).replace(/'/g, `'\\''`).replace(`"${SECRET_PLACEHOLDER}"`, `"'"${SECRET_PLACEHOLDER}"'"`)}'`]
    : shown.map(([k, v]) => `  --data-urlencode ${v === SECRET_PLACEHOLDER ? `"${k}=${v}"` : `'${k}=${v.replace(/'/g, `'\\''`)}'`}`);
  const curl = [`curl -X POST '${url}'`, `  -H 'Content-Type: ${contentType}'`, ...data].join(' \\\n');
  return { url, contentType, body, curl };
}

/** A JSON Schema of the request body, as the Schema tab shows it. */
export function schemaOf(dialect: Dialect): object {
  return {
    type: 'object',
    required: dialect.fields.filter((f) => f.required).map((f) => f.name),
    properties: Object.fromEntries(
      dialect.fields.map((f) => [
        f.name,
        { type: 'string', ...(f.maxLength ? { maxLength: f.maxLength } : {}), ...(f.name === 'grant_type' ? { const: f.value } : {}) },
      ]),
    ),
    additionalProperties: dialect.id === 'access-token',
  };
}

/** The claims of a JWT (not verified: the page only shows what the token says). */
export function decodeJwt(token: string): { header: unknown; claims: unknown } | null {
  const [header, payload] = token.split('.');
  if (!header || !payload) return null;
  try {
    const decode = (part: string): unknown => JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))));
    return { header: decode(header), claims: decode(payload) };
  } catch {
    return null;
  }
}
