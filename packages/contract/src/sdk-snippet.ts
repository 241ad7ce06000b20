/**
 * Not a wire shape: the `@latchkey/sdk` example for one credential, kept here because the portal's Get
 * Access Token page and the server's Postman collection both show it and must show the same code.
 */
export interface SdkSnippetInput {
  /** The `iss` the server announces (RFC 8414 metadata must match it), not the origin a browser used. */
  readonly issuer: string;
  readonly clientId: string;
  /** Space-separated scopes to ask for; empty: omitted (the client gets every granted scope). */
  readonly scope: string;
  /** A service this credential may call: its audience in this environment, its base URL there if known. */
  readonly service?: { readonly name: string; readonly audience: string; readonly baseUrl: string | null };
}

/** The environment variable the snippet (like the curl command) reads the secret from. */
export const SDK_SECRET_VARIABLE = 'CLIENT_SECRET';

const quote = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * TypeScript for Node.js: a token client for the credential (the secret from the environment, never
 * inline), a call through it, and the verifier the called service runs.
 *
 * @example
 * sdkSnippet({ issuer: 'https://auth.example.org', clientId: 'acr-dev-1a2b', scope: 'email:send', service: { name: 'Email', audience: 'urn:latchkey:service:email:dev', baseUrl: null } });
 */
export function sdkSnippet(input: SdkSnippetInput): string {
  const issuer = quote(input.issuer);
  const options = [`  issuer: ${issuer},`, `  clientId: ${quote(input.clientId)},`, `  clientSecret: process.env.${SDK_SECRET_VARIABLE}!,`];
  if (input.scope !== '') options.push(`  scope: ${quote(input.scope)},`);
  const client = [
    "import { createTokenClient } from '@latchkey/sdk';",
    '',
    'const tokens = createTokenClient({',
    ...options,
    '});',
    'const token = await tokens.getToken(); // cached, refreshed ahead of expiry',
  ];
  const service = input.service;
  if (!service) return client.join('\n');
  const url = quote(service.baseUrl ?? 'https://api.example.org/v1/…');
  return [
    ...client,
    `const res = await tokens.fetch(${url}); // adds Authorization: Bearer <token>`,
    '',
    `// In the service that receives the calls (${service.name}):`,
    "import { createVerifier } from '@latchkey/sdk';",
    '',
    'const verifier = createVerifier({',
    `  issuer: ${issuer},`,
    `  audience: ${quote(service.audience)},`,
    '});',
    '// token: the bearer token of a request it receives',
    'const principal = await verifier.verify(token); // { subject, clientId, scopes, claims }',
  ].join('\n');
}
