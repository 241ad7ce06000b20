import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import * as oidc from 'openid-client';
import { createLocalJWKSet, errors as joseErrors } from 'jose';
import { startTestServer, tokenFor, type ProvisionedClient, type TestServer } from '../support/test-server.js';
import { callResource, discoverClient, fetchJwks, joseVerify, kidOf, provision, remoteJwks, startResourceServer, type ResourceServer } from './support.js';

interface Rotation {
  kid: string;
  activates_at: string;
  standby_kid: string;
  revoked_kid: string | null;
}

interface ListedKey {
  kid: string;
  state: 'next' | 'current' | 'retiring' | 'retired';
}

async function cli<T>(server: TestServer, args: string[]): Promise<T> {
  const { code, json, stderr } = await server.cli(args);
  if (code !== 0) throw new Error(`latchkey ${args.join(' ')} failed (${code}): ${stderr}`);
  return json as T;
}

const rotate = (server: TestServer, ...flags: string[]) => cli<Rotation>(server, ['keys', 'rotate', ...flags]);

async function listKeys(server: TestServer): Promise<ListedKey[]> {
  return (await cli<{ items: ListedKey[] }>(server, ['keys', 'list'])).items;
}

/** Asks for tokens until the server signs with `kid` (a scheduled key starts on its own at activates_at). */
async function firstTokenSignedBy(server: TestServer, client: ProvisionedClient, rotation: Rotation): Promise<string> {
  const deadline = Date.parse(rotation.activates_at) + 5_000;
  for (;;) {
    const token = await tokenFor(server, client);
    if (kidOf(token) === rotation.kid) return token;
    if (Date.now() > deadline) throw new Error(`still signing with ${kidOf(token)}, not ${rotation.kid}, after activates_at ${rotation.activates_at}`);
    await sleep(25);
  }
}

type Verifier = readonly [name: string, verify: (token: string) => Promise<unknown>];

/**
 * A verifier working through the rotations as a real resource server would: it keeps asking for new tokens
 * and verifies each new one together with one token of every key seen so far, recording every refusal.
 */
function verifyContinuously(server: TestServer, client: ProvisionedClient, verifiers: readonly Verifier[]) {
  const samples: string[] = [];
  const failures: string[] = [];
  const checkedKids = new Set<string>();
  let checks = 0;
  let stopped = false;
  const round = async (): Promise<void> => {
    const token = await tokenFor(server, client);
    if (!samples.some((t) => kidOf(t) === kidOf(token))) samples.push(token);
    for (const sample of new Set([token, ...samples])) {
      for (const [name, verify] of verifiers) {
        await verify(sample).then(
          () => checks++,
          (error: unknown) => failures.push(`${name} refused a token of ${kidOf(sample)}: ${(error as Error).message}`),
        );
      }
      checkedKids.add(kidOf(sample));
    }
  };
  const loop = (async () => {
    while (!stopped) {
      await round().catch((error: unknown) => {
        failures.push(`the verifying loop broke: ${(error as Error).message}`);
        stopped = true;
      });
      await sleep(20);
    }
  })();
  return {
    /** Resolves once tokens signed by `kid` went through every verifier (or the loop stopped). */
    async checked(kid: string) {
      while (!checkedKids.has(kid) && !stopped) await sleep(10);
    },
    async stop() {
      stopped = true;
      await loop;
      return { failures, checks, kids: samples.map(kidOf), samples };
    },
  };
}

describe('signing key rotation seen by independent verifiers', () => {
  describe('scheduled rotation: latchkey keys rotate on a running server', () => {
    let server: TestServer;
    let client: ProvisionedClient;
    let api: ResourceServer;

    beforeAll(async () => {
      // A JWKS cache lifetime of 1 s that the verifiers below honour, so a kid not published ahead would be missed.
      server = await startTestServer({ env: { LATCHKEY_JWKS_MAX_AGE: '1' } });
      client = await provision(server);
      api = await startResourceServer(server);
    });

    afterAll(async () => {
      await api?.close();
      await server?.dispose();
    });

    it('never lets a verifier meet an unknown kid: every token, old and new, verifies across three rotations', { timeout: 60_000 }, async () => {
      const { maxAge } = await fetchJwks(server);
      expect(maxAge).toBe(1);
      // jose caching exactly as long as the server allows and never refetching on an unknown kid.
      const jose = remoteJwks(server, { cacheMaxAge: maxAge * 1000, cooldownDuration: Number.POSITIVE_INFINITY });
      const expressJwt = async (token: string) => {
        const { status, body } = await callResource(api.url, token);
        if (status !== 200) throw new Error(`${status} ${JSON.stringify(body)}`);
      };
      const monitor = verifyContinuously(server, client, [
        ['jose createRemoteJWKSet', (token) => joseVerify(server, jose, token)],
        ['express-jwt + jwks-rsa (cached)', expressJwt],
      ]);

      const signers = [kidOf(await tokenFor(server, client))];
      for (let round = 0; round < 3; round++) {
        const published = await fetchJwks(server);
        const rotation = await rotate(server);
        // The key that takes over is the standby, published before the rotation was even asked for.
        expect(published.kids).toContain(rotation.kid);
        expect(rotation.kid).not.toBe(signers.at(-1));

        const fresh = await firstTokenSignedBy(server, client, rotation);
        // A verifier holding only the pre-rotation JWKS accepts tokens of the new key.
        await expect(joseVerify(server, createLocalJWKSet(published.jwks), fresh)).resolves.toBeTruthy();
        signers.push(rotation.kid);
        await monitor.checked(rotation.kid);

        const after = await fetchJwks(server);
        expect(after.kids).toEqual(expect.arrayContaining([...signers, rotation.standby_kid]));
      }

      const { failures, checks, kids, samples } = await monitor.stop();
      expect(failures).toEqual([]);
      expect(kids).toEqual(signers);
      expect(checks).toBeGreaterThan(2 * signers.length);

      // After the rotations every earlier token still verifies for a fresh verifier and is active at introspection.
      const { config } = await discoverClient(server, client);
      const freshJose = remoteJwks(server);
      for (const token of samples) {
        await expect(joseVerify(server, freshJose, token)).resolves.toBeTruthy();
        await expect(oidc.tokenIntrospection(config, token)).resolves.toMatchObject({ active: true });
      }
    });

    it('lists the keys as current, next (the published standby) and retiring (the superseded ones)', { timeout: 30_000 }, async () => {
      const previous = kidOf(await tokenFor(server, client));
      const rotation = await rotate(server);
      await firstTokenSignedBy(server, client, rotation);

      const keys = await listKeys(server);
      const inState = (state: ListedKey['state']) => keys.filter((k) => k.state === state).map((k) => k.kid);
      expect(inState('current')).toEqual([rotation.kid]);
      expect(inState('next')).toEqual([rotation.standby_kid]);
      expect(inState('retiring')).toContain(previous);
      expect(inState('retired')).toEqual([]);
      // JWKS publishes exactly the keys that are not retired.
      expect((await fetchJwks(server)).kids.sort()).toEqual(keys.map((k) => k.kid).sort());
    });
  });

  describe('emergency rotation: latchkey keys rotate --now', () => {
    let server: TestServer;
    let client: ProvisionedClient;
    let config: oidc.Configuration;

    beforeAll(async () => {
      server = await startTestServer();
      client = await provision(server);
      ({ config } = await discoverClient(server, client));
    });

    afterAll(async () => {
      await server?.dispose();
    });

    it('revokes the current key at once: its tokens turn inactive, its kid leaves JWKS, a new key signs', async () => {
      const compromised = await tokenFor(server, client);
      const revokedKid = kidOf(compromised);
      expect(await oidc.tokenIntrospection(config, compromised)).toMatchObject({ active: true });
      await expect(joseVerify(server, remoteJwks(server), compromised)).resolves.toBeTruthy();

      const rotation = await rotate(server, '--now');
      expect(rotation.revoked_kid).toBe(revokedKid);
      expect(rotation.kid).not.toBe(revokedKid);
      await server.runtime.syncChanges();

      expect(await oidc.tokenIntrospection(config, compromised)).toEqual({ active: false });
      const { kids } = await fetchJwks(server);
      expect(kids).not.toContain(revokedKid);
      expect(kids).toContain(rotation.kid);
      await expect(joseVerify(server, remoteJwks(server), compromised)).rejects.toBeInstanceOf(joseErrors.JWKSNoMatchingKey);

      const replacement = await tokenFor(server, client);
      expect(kidOf(replacement)).toBe(rotation.kid);
      await expect(joseVerify(server, remoteJwks(server), replacement)).resolves.toBeTruthy();
      expect(await oidc.tokenIntrospection(config, replacement)).toMatchObject({ active: true });

      const listed = await listKeys(server);
      expect(listed.find((k) => k.kid === revokedKid)?.state).toBe('retired');
      expect(listed.find((k) => k.kid === rotation.kid)?.state).toBe('current');
    });

    it('keeps one standby however many rotations run, so JWKS stays small', { timeout: 60_000 }, async () => {
      const jwksBefore = (await fetchJwks(server)).kids.length;
      for (let i = 0; i < 10; i++) await rotate(server, '--now');
      await server.runtime.syncChanges();
      const keys = await listKeys(server);
      expect(keys.filter((k) => k.state === 'next')).toHaveLength(1);
      expect(keys.filter((k) => k.state === 'current')).toHaveLength(1);
      // Ten emergency rotations revoke ten keys and their standbys: none of them is published.
      const { kids } = await fetchJwks(server);
      expect(kids.sort()).toEqual(keys.filter((k) => k.state !== 'retired').map((k) => k.kid).sort());
      expect(kids.length).toBeLessThanOrEqual(jwksBefore);
      await firstTokenSignedBy(server, client, await rotate(server));
      expect((await listKeys(server)).filter((k) => k.state === 'next')).toHaveLength(1);
    });

    it('leaves tokens of an earlier, retiring key active: only the compromised current key is revoked', { timeout: 30_000 }, async () => {
      const earlier = await tokenFor(server, client);
      await firstTokenSignedBy(server, client, await rotate(server));
      const compromised = await tokenFor(server, client);

      await rotate(server, '--now');
      await server.runtime.syncChanges();

      expect(await oidc.tokenIntrospection(config, compromised)).toEqual({ active: false });
      expect(await oidc.tokenIntrospection(config, earlier)).toMatchObject({ active: true });
      await expect(joseVerify(server, remoteJwks(server), earlier)).resolves.toBeTruthy();
    });
  });
});
