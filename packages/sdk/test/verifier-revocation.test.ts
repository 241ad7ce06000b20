import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, VerifyError, type Verifier } from '../src/index.js';
import { storageBackends } from '../../server/test/support/databases.js';
import { basic, postForm, provisionClient, tokenFor, type ProvisionedClient, type TestServer } from '../../server/test/support/test-server.js';
import { startTwoInstances, type TwoInstances } from '../../server/test/support/two-instances.js';

// The verifier as a resource server uses it, following the real feed: the change is made on instance B,
// the verifier follows instance A (on PostgreSQL only LISTEN/NOTIFY carries it: A's poll is a minute).
const backends = await storageBackends('the SDK verifier with the revocation feed');
const EMAIL = 'urn:latchkey:service:email:dev';
// A correctness deadline for "within a second", generous for a loaded two-core machine: without the feed
// the token is accepted until it expires.
const WITHIN_MS = 2_500;

async function codeOf(verifier: Verifier, token: string): Promise<string | null> {
  try {
    await verifier.verify(token);
    return null;
  } catch (error) {
    if (error instanceof VerifyError) return error.code;
    throw error;
  }
}

async function refusedWithin(verifier: Verifier, token: string, code: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    const got = await codeOf(verifier, token);
    if (got === code) return Date.now() - started;
    if (Date.now() - started > WITHIN_MS) throw new Error(`verify gave ${String(got)}, not ${code}, after ${WITHIN_MS} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(backends)('createVerifier with revocations, against two Latchkey instances ($name)', (backend) => {
  let a: TestServer;
  let b: TestServer;
  let reader: ProvisionedClient;
  const verifiers: Verifier[] = [];
  const verifierOf = (): Verifier => {
    const verifier = createVerifier({ issuer: a.url, audience: EMAIL, revocations: { issuer: a.url, clientId: reader.clientId, clientSecret: reader.clientSecret, wait: 5, staleAfter: 10_000 } });
    verifiers.push(verifier);
    return verifier;
  };

  let instances: TwoInstances;

  beforeAll(async () => {
    if (backend.skip) return;
    instances = await startTwoInstances(backend);
    ({ a, b } = instances);
    reader = await provisionClient(a.runtime, { acronym: 'RESOURCE' });
  });
  afterAll(async () => {
    // The servers first (a closed feed's aborted request would hold a closing server, see revocation-feed.test.ts).
    const closeVerifiers = (): void => verifiers.forEach((verifier) => verifier.close());
    if (backend.skip) closeVerifiers();
    else await instances?.dispose(closeVerifiers);
  });

  it.skipIf(backend.skip)('refuses a token revoked on B, then every token of a client disabled on B, as token_revoked within a second', async () => {
    const verifier = verifierOf();
    const caller = await provisionClient(b.runtime, { acronym: 'CALLER' });
    const token = await tokenFor(b, caller);
    const other = await tokenFor(b, caller);
    await expect(verifier.verify(token)).resolves.toMatchObject({ clientId: caller.clientId });
    await expect(verifier.verify(other)).resolves.toBeDefined();

    await postForm(`${b.url}/oauth/revoke`, { token }, { authorization: basic(caller.clientId, caller.clientSecret) });
    expect(await refusedWithin(verifier, token, 'token_revoked')).toBeLessThan(WITHIN_MS);
    expect(await codeOf(verifier, other)).toBeNull();

    await b.cli(['client', 'disable', caller.clientId]);
    expect(await refusedWithin(verifier, other, 'token_revoked')).toBeLessThan(WITHIN_MS);
    await b.cli(['client', 'enable', caller.clientId]);
    const started = Date.now();
    while ((await codeOf(verifier, other)) !== null) {
      if (Date.now() - started > WITHIN_MS) throw new Error('the re-enabled client’s token is still refused');
      await new Promise((r) => setTimeout(r, 10));
    }
  });

  it.skipIf(backend.skip)('refuses a token it verified before an emergency key rotation on B within a second, though its key set is not refetched', async () => {
    const verifier = verifierOf();
    const caller = await provisionClient(b.runtime, { acronym: 'KEYS' });
    const token = await tokenFor(b, caller);
    await expect(verifier.verify(token)).resolves.toMatchObject({ clientId: caller.clientId });
    await b.cli(['keys', 'rotate', '--now']);
    // Without the feed, the cached token stands until jwksMaxAge (60 s) makes the verifier fetch JWKS.
    expect(await refusedWithin(verifier, token, 'token_revoked')).toBeLessThan(WITHIN_MS);
    await expect(verifier.verify(await tokenFor(b, caller))).resolves.toMatchObject({ clientId: caller.clientId });
  });

  it.skipIf(backend.skip)('started after the revocation, refuses the token from its first answer', async () => {
    const caller = await provisionClient(b.runtime, { acronym: 'LATER' });
    const token = await tokenFor(b, caller);
    await postForm(`${b.url}/oauth/revoke`, { token }, { authorization: basic(caller.clientId, caller.clientSecret) });
    expect(await codeOf(verifierOf(), token)).toBe('token_revoked');
  });
});
