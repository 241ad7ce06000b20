import { afterEach, describe, expect, it } from 'vitest';
import { generateKeyPair } from 'jose';
import { createVerifier, VerifyError } from '../src/index.js';
import { countingFetch, startFakeIssuer } from './support.js';

type Issuer = Awaited<ReturnType<typeof startFakeIssuer>>;

describe('the verifier and the issuer keys (an issuer of our own)', () => {
  const issuers: Issuer[] = [];
  const start = async (extra: Record<string, unknown> = {}): Promise<Issuer> => {
    const issuer = await startFakeIssuer(extra);
    issuers.push(issuer);
    return issuer;
  };
  afterEach(async () => {
    await Promise.all(issuers.splice(0).map((i) => i.close()));
  });

  it('a storm of unknown kids causes one JWKS reload, not a fetch storm', async () => {
    const issuer = await start();
    const verifier = createVerifier({ issuer: issuer.issuer, audience: 'urn:test' });
    await verifier.verify(await issuer.sign({}));
    expect(issuer.hits.jwks).toBe(1);
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await Promise.all(Array.from({ length: 200 }, (_, i) => issuer.sign({}, { kid: `unknown-${i}`, key: privateKey })));
    const concurrent = await Promise.allSettled(forged.slice(0, 100).map((t) => verifier.verify(t)));
    for (const t of forged.slice(100)) await verifier.verify(t).catch(() => undefined);
    expect(concurrent.every((r) => r.status === 'rejected' && r.reason instanceof VerifyError && r.reason.code === 'invalid_token')).toBe(true);
    expect(issuer.hits.jwks).toBe(2);
    // Known-kid tokens still verify.
    await expect(verifier.verify(await issuer.sign({}))).resolves.toBeDefined();
  });

  it('requires typ at+jwt', async () => {
    const issuer = await start();
    const verifier = createVerifier({ issuer: issuer.issuer, audience: 'urn:test' });
    await expect(verifier.verify(await issuer.sign({}, { typ: 'JWT' }))).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(verifier.verify(await issuer.sign({}))).resolves.toMatchObject({ subject: 'client-1', clientId: 'client-1' });
  });

  it('pins the algorithms the metadata announces for access tokens, or those given', async () => {
    const issuer = await start({ access_token_signing_alg_values_supported: ['EdDSA'] });
    const token = await issuer.sign({});
    await expect(createVerifier({ issuer: issuer.issuer, audience: 'urn:test' }).verify(token)).rejects.toMatchObject({ code: 'invalid_token', message: expect.stringMatching(/algorithm/) });
    await expect(createVerifier({ issuer: issuer.issuer, audience: 'urn:test', algorithms: ['ES256'] }).verify(token)).resolves.toBeDefined();
    await expect(createVerifier({ issuer: issuer.issuer, audience: 'urn:test', algorithms: ['EdDSA'] }).verify(token)).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('fetches metadata and JWKS once for many concurrent first verifications', async () => {
    const issuer = await start();
    const counter = countingFetch();
    const verifier = createVerifier({ issuer: issuer.issuer, audience: 'urn:test', fetch: counter.fetch });
    const tokens = await Promise.all(Array.from({ length: 50 }, () => issuer.sign({})));
    await Promise.all(tokens.map((t) => verifier.verify(t)));
    expect(counter.count('/.well-known/oauth-authorization-server')).toBe(1);
    expect(counter.count('/jwks')).toBe(1);
  });

  it('refuses a metadata document naming another issuer (discovery_failed)', async () => {
    const issuer = await start();
    const verifier = createVerifier({ issuer: `${issuer.issuer.replace('127.0.0.1', 'localhost')}`, audience: 'urn:test' });
    await expect(verifier.verify(await issuer.sign({}))).rejects.toMatchObject({ code: 'discovery_failed', message: expect.stringMatching(/names issuer/) });
  });

  it('refuses the same tokens with the same codes on the synchronous path and on jose\'s', async () => {
    const issuer = await start();
    const verifier = createVerifier({ issuer: issuer.issuer, audience: 'urn:test', clockTolerance: 5 });
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[claims: Record<string, unknown>, code: string | null, typ?: string]> = [
      [{}, null],
      [{ exp: now - 3 }, null],
      [{ exp: now - 6 }, 'token_expired'],
      [{ nbf: now + 3 }, null],
      [{ nbf: now + 60 }, 'token_not_yet_valid'],
      [{ iss: 'https://other.example' }, 'issuer_mismatch'],
      [{ aud: 'urn:other' }, 'audience_mismatch'],
      [{ aud: ['urn:other', 'urn:test'] }, null],
      [{ aud: [] }, 'audience_mismatch'],
      [{ sub: undefined }, 'invalid_token'],
      [{}, 'invalid_token', 'JWT'],
      [{}, null, 'application/at+jwt'],
    ];
    for (const [claims, code, typ] of cases) {
      // `cty` in the header sends the token to jose's jwtVerify; without it, the synchronous path decides.
      for (const extra of [undefined, { cty: 'x' }]) {
        const token = await issuer.sign(claims, { ...(typ ? { typ } : {}), ...(extra ? { extra } : {}) });
        const outcome = await verifier.verify(token).then(
          () => null,
          (error: unknown) => (error instanceof VerifyError ? error.code : String(error)),
        );
        expect(outcome, `${JSON.stringify(claims)} typ ${typ ?? 'at+jwt'} ${extra ? 'jose' : 'sync'}`).toBe(code);
      }
    }
  });
});
