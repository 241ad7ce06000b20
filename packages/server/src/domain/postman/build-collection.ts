import { sdkSnippet } from '@latchkey/contract';
import type { Random } from '../random.js';
import { POSTMAN_SCHEMA, type PostmanAuth, type PostmanCollection, type PostmanEvent, type PostmanItem, type PostmanVariable } from './postman-collection.js';

/** One environment's credential as a collection describes it; never the secret. */
export interface CollectionInput {
  readonly acronym: string;
  readonly env: string;
  /** The announced `iss`, which the SDK snippet in the description discovers the endpoints from. */
  readonly issuer: string;
  readonly clientId: string;
  readonly tokenEndpoint: string;
  readonly introspectionEndpoint: string;
  /** Granted services; those with a base URL in this environment get an example call. */
  readonly services: readonly {
    readonly key: string;
    readonly name: string;
    readonly scopes: readonly string[];
    readonly baseUrl: string | null;
    /** Its `aud` in this environment, for the verifier in the SDK snippet. */
    readonly audience: string;
  }[];
}

const variable = (key: string, value: string, description?: string): PostmanVariable => ({ key, value, type: 'string', ...(description ? { description } : {}) });

const script = (listen: PostmanEvent['listen'], exec: readonly string[]): PostmanEvent => ({ listen, script: { type: 'text/javascript', exec } });

// RFC 6749 §2.3.1: client_secret_basic, the method every server must support. Postman's basic auth sends
// the variables as they are; Latchkey's client ids and generated secrets need no form-encoding.
const CLIENT_AUTH: PostmanAuth = { type: 'basic', basic: [variable('username', '{{client_id}}'), variable('password', '{{client_secret}}')] };

/** A form POST authenticated as the client, with a test script. */
function clientRequest(name: string, url: string, form: Readonly<Record<string, string>>, description: string, test: readonly string[]): PostmanItem {
  return {
    name,
    request: {
      method: 'POST',
      url,
      auth: CLIENT_AUTH,
      header: [{ key: 'Accept', value: 'application/json' }],
      body: { mode: 'urlencoded', urlencoded: Object.entries(form).map(([key, value]) => ({ key, value, type: 'text' as const })) },
      description,
    },
    event: [script('test', test)],
  };
}

/** Variable holding a service's base URL: `base_url_<key>` (service keys are lower-case letters, digits and "-"). */
export function baseUrlVariable(serviceKey: string): string {
  return `base_url_${serviceKey.replace(/-/g, '_')}`;
}

/** The SDK example for this credential: every granted scope, the first granted service's verifier. */
function sdkSnippetOf(input: CollectionInput): string {
  const [first] = input.services;
  return sdkSnippet({
    issuer: input.issuer,
    clientId: input.clientId,
    scope: [...new Set(input.services.flatMap((s) => s.scopes))].join(' '),
    ...(first ? { service: { name: first.name, audience: first.audience, baseUrl: first.baseUrl } } : {}),
  });
}

/**
 * A Postman Collection v2.1 for one application environment: the token request first (client
 * credentials; its test script keeps the token in the `access_token` collection variable), then an
 * introspection call that shows the token is active, then one example call per granted service that has a
 * base URL in this environment, all sending `Authorization: Bearer {{access_token}}`.
 *
 * `client_secret` is left empty on purpose (the collection is a file people share): set it in a Postman
 * environment, or run `newman run collection.json --env-var client_secret=lks_…`.
 */
export function buildCollection(random: Random, input: CollectionInput): PostmanCollection {
  const called = input.services.filter((s) => s.baseUrl !== null);
  const token = clientRequest(
    'Get an access token',
    '{{token_url}}',
    { grant_type: 'client_credentials' },
    'OAuth 2.0 client credentials grant (RFC 6749 §4.4). The test script stores the token in {{access_token}} for the requests below.',
    [
      "pm.test('the token request succeeds', function () {",
      '  pm.response.to.have.status(200);',
      '});',
      'const body = pm.response.json();',
      "pm.test('an access token is issued', function () {",
      "  pm.expect(body.access_token).to.be.a('string');",
      '});',
      "pm.collectionVariables.set('access_token', body.access_token);",
    ],
  );
  const introspect = clientRequest(
    'Introspect the token',
    '{{introspection_url}}',
    { token: '{{access_token}}' },
    'RFC 7662 token introspection: what a resource server learns about the token (active, scope, aud, exp).',
    [
      "pm.test('the token is active', function () {",
      '  pm.response.to.have.status(200);',
      '  pm.expect(pm.response.json().active).to.eql(true);',
      '});',
    ],
  );
  const calls: PostmanItem[] = called.map((service) => ({
    name: `Call ${service.name}`,
    request: {
      method: 'GET',
      url: `{{${baseUrlVariable(service.key)}}}`,
      header: [{ key: 'Accept', value: 'application/json' }],
      description: `An example call to ${service.name} (${service.key}) in ${input.env}, with the token from the first request.${
        service.scopes.length > 0 ? ` Granted scopes: ${service.scopes.join(' ')}.` : ''
      } Change the path to the operation you need.`,
    },
  }));

  return {
    info: {
      _postman_id: random.uuid(),
      name: `${input.acronym} ${input.env} (Latchkey)`,
      description: [
        `Calls with the ${input.env} credential of ${input.acronym} (client ${input.clientId}).`,
        'Set client_secret first (it is not in this file): in a Postman environment, or',
        '`newman run <this file> --env-var client_secret=<secret>`. Run "Get an access token" first; the other requests use its token.',
        '',
        'The same from Node.js code, with @latchkey/sdk (CLIENT_SECRET set in the environment):',
        '',
        '```ts',
        sdkSnippetOf(input),
        '```',
      ].join('\n'),
      schema: POSTMAN_SCHEMA,
    },
    // Every request not saying otherwise sends the token.
    auth: { type: 'bearer', bearer: [variable('token', '{{access_token}}')] },
    event: [
      script('prerequest', [
        "if (pm.request.auth && pm.request.auth.type === 'basic' && !pm.variables.get('client_secret')) {",
        "  throw new Error('client_secret is empty: set it in your Postman environment or pass --env-var client_secret=... to newman');",
        '}',
      ]),
    ],
    variable: [
      variable('token_url', input.tokenEndpoint, 'OAuth 2.0 token endpoint'),
      variable('introspection_url', input.introspectionEndpoint, 'RFC 7662 introspection endpoint'),
      variable('client_id', input.clientId),
      variable('client_secret', '', 'Left empty on purpose: set it in an environment, never in this file'),
      variable('access_token', '', 'Filled by "Get an access token"'),
      ...called.map((s) => variable(baseUrlVariable(s.key), s.baseUrl ?? '', `${s.name} in ${input.env}`)),
    ],
    item: [token, introspect, ...calls],
  };
}
