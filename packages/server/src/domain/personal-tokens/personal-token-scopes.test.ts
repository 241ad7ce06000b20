import { describe, expect, it } from 'vitest';
import type { Service } from '../catalog/service.js';
import type { HeldService, PersonalTokenRights } from './personal-token-rights.js';
import { chooseScopes, coverScopes, scopeChoices } from './personal-token-scopes.js';

const ISSUER = 'https://auth.example.org';

const service = (key: string, scopes: string[], audiences: Record<string, string> = {}): Service => ({
  key,
  name: key,
  description: '',
  scopes: scopes.map((name) => ({ name, description: `${name} description` })),
  audiences,
  baseUrls: {},
  createdAt: 0,
  updatedAt: 0,
  retiredAt: null,
});

const LEDGER = service('ledger', ['ledger:read', 'ledger:write', 'read']);
const DOCS = service('docs', ['read', 'docs:write', 'portal:read'], { prod: 'https://docs.example.org' });
const held = (s: Service, env: string, scopes: string[], applications = ['APP']): HeldService => ({ service: s, env, scopes: new Set(scopes), applications });

// The rights as loadPersonalTokenRights hands them over (environments in order): plain data, no storage.
const rights: PersonalTokenRights = {
  portal: true,
  catalog: [DOCS, LEDGER],
  held: [
    held(LEDGER, 'dev', ['ledger:read', 'ledger:write']),
    held(DOCS, 'dev', ['read']),
    held(LEDGER, 'test', ['ledger:read', 'read'], ['APP', 'OTHER']),
    held(LEDGER, 'prod', ['read']),
    held(DOCS, 'prod', ['read', 'docs:write', 'portal:read']),
  ],
};

const fields = (scopes: string[], r = rights) => coverScopes(ISSUER, r, scopes).issues.map((i) => i.field);

describe('what a personal token may carry, from the rights of its owner', () => {
  it('names a service only in the environments where every one of the token\'s scopes of it is held', () => {
    expect(coverScopes(ISSUER, rights, ['ledger:read']).audiences).toStrictEqual(['urn:latchkey:service:ledger:dev', 'urn:latchkey:service:ledger:test']);
    expect(coverScopes(ISSUER, rights, ['ledger:read', 'ledger:write']).audiences).toStrictEqual(['urn:latchkey:service:ledger:dev']);
    expect(coverScopes(ISSUER, rights, ['portal:write', 'docs:write']).audiences).toStrictEqual([ISSUER, 'https://docs.example.org']);
  });

  it('a scope name two services define counts for each: every service it is held for, and the others of the token must fit with it', () => {
    const both = coverScopes(ISSUER, rights, ['read']);
    expect(both.issues).toStrictEqual([]);
    expect(both.audiences).toStrictEqual(['urn:latchkey:service:docs:dev', 'https://docs.example.org', 'urn:latchkey:service:ledger:test', 'urn:latchkey:service:ledger:prod']);
    // ledger would see `read` in DEV, where the owner holds ledger:write but not ledger's read.
    const apart = coverScopes(ISSUER, rights, ['ledger:write', 'read']);
    expect(apart.issues).toStrictEqual([
      { field: 'scopes[1]', message: "ledger: you hold read in test, prod but ledger:write in dev; a token's scopes of one service must all be held in one environment: make one token per environment" },
    ]);
    // Held for docs only: ledger (named for ledger:read) also defines it, so it may not ride along.
    const onlyDocs: PersonalTokenRights = { ...rights, held: [held(LEDGER, 'dev', ['ledger:read']), held(DOCS, 'dev', ['read'])] };
    expect(coverScopes(ISSUER, onlyDocs, ['read', 'ledger:read']).issues.map((i) => [i.field, i.message])).toStrictEqual([
      ['scopes[0]', 'ledger also defines read, which you hold for ledger in no environment, and this token names ledger for ledger:read: leave read out or make a separate token'],
    ]);
  });

  it('refuses scopes of one service held in no common environment, naming the later one and both environments', () => {
    const split: PersonalTokenRights = { ...rights, held: [held(LEDGER, 'dev', ['ledger:write']), held(LEDGER, 'prod', ['ledger:read'])] };
    const refused = coverScopes(ISSUER, split, ['ledger:write', 'ledger:read']);
    expect(refused.issues.map((i) => i.field)).toStrictEqual(['scopes[1]']);
    expect(refused.issues[0]?.message).toContain('ledger: you hold ledger:read in prod but ledger:write in dev');
    expect(refused.audiences).toStrictEqual(['urn:latchkey:service:ledger:dev']);
  });

  it('refuses unknown, repeated and unheld scopes, portal scopes without pat, and an empty list', () => {
    expect(fields(['ledger:read', 'nope', 'ledger:read'])).toStrictEqual(['scopes[1]', 'scopes[2]']);
    const outsider: PersonalTokenRights = { ...rights, held: [] };
    expect(coverScopes(ISSUER, outsider, ['portal:read', 'ledger:read']).issues).toStrictEqual([
      { field: 'scopes[1]', message: 'you are not a member of an application with ledger:read in any environment: a personal token carries a service scope only where an application you belong to has a client granted it' },
    ]);
    expect(fields(['portal:read'], { ...rights, portal: false })).toStrictEqual(['scopes[0]']);
    expect(fields([])).toStrictEqual(['scopes']);
    // A service's scope that shares a portal scope's name is the portal's in a token: never a service grant.
    expect(coverScopes(ISSUER, rights, ['portal:read']).audiences).toStrictEqual([ISSUER]);
  });

  it('offers each held scope once per service with its environments and applications; defaults are the read scopes held together', () => {
    expect(scopeChoices(rights).map((c) => [c.name, c.service, c.environments.join(','), c.applications.join(',')])).toStrictEqual([
      ['portal:read', null, '', ''],
      ['portal:write', null, '', ''],
      ['read', 'docs', 'dev,prod', 'APP'],
      ['docs:write', 'docs', 'prod', 'APP'],
      ['ledger:read', 'ledger', 'dev,test', 'APP,OTHER'],
      ['ledger:write', 'ledger', 'dev', 'APP'],
      ['read', 'ledger', 'test,prod', 'APP,OTHER'],
    ]);
    expect(chooseScopes(ISSUER, rights, undefined).scopes).toStrictEqual(['portal:read', 'read', 'ledger:read']);
    const apart: PersonalTokenRights = { ...rights, held: [held(LEDGER, 'dev', ['ledger:read']), held(LEDGER, 'prod', ['read'])] };
    // `read` is held, but not where ledger:read is: left out of the default rather than failing it.
    expect(chooseScopes(ISSUER, apart, undefined).scopes).toStrictEqual(['portal:read', 'ledger:read']);
    expect(scopeChoices({ ...rights, portal: false, held: [] })).toStrictEqual([]);
  });
});
