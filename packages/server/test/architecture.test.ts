import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Storage } from '../src/domain/storage.js';
import type { HttpDeps } from '../src/http/deps.js';

/** One store of Storage (a port), Storage itself, or a part of it (a `Pick`): what hands out storage. */
type StoreOf<T> = T extends (...args: never[]) => unknown ? false : T extends Storage[keyof Storage] ? true : Storage extends T ? true : false;
/** True when `T` is storage, or one of its own properties is (one level deep: a use case's deps as a property). */
type HoldsStorage<T> = StoreOf<T> extends true ? true : T extends object ? (true extends { [K in keyof T]-?: StoreOf<NonNullable<T[K]>> }[keyof T] ? true : false) : false;
/** The properties of `T` that are named for storage or hand it out: `never` when there are none. */
type StorageProperties<T> = Extract<keyof T, 'storage' | 'oauthStores'> | { [K in keyof T]-?: HoldsStorage<NonNullable<T[K]>> extends true ? K : never }[keyof T];

const src = fileURLToPath(new URL('../src', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

function imports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
}

describe('the direction of dependencies: http -> domain <- storage', () => {
  it('keeps the domain free of frameworks, drivers, node:http and the environment', () => {
    const forbidden = /^(fastify|@fastify\/|kysely|better-sqlite3|pg|ioredis|nodemailer|pino|prom-client|commander|node:http|node:net)/;
    const offenders = files(join(src, 'domain')).flatMap((file) => [
      ...imports(file).filter((i) => forbidden.test(i)).map((i) => `${relative(src, file)} imports ${i}`),
      ...(readFileSync(file, 'utf8').includes('process.env') ? [`${relative(src, file)} reads process.env`] : []),
      ...imports(file).filter((i) => /\/(http|storage|cli)\//.test(i) || /^\.\.\/\.\.\/(config|runtime|serve)/.test(i)).map((i) => `${relative(src, file)} imports ${i}`),
    ]);
    expect(offenders).toEqual([]);
  });

  it('keeps http/ away from storage/', () => {
    const offenders = files(join(src, 'http')).flatMap((file) => imports(file).filter((i) => i.includes('/storage/') || /^(kysely|pg|better-sqlite3)$/.test(i)).map((i) => `${relative(src, file)} imports ${i}`));
    expect(offenders).toEqual([]);
  });

  it("keeps storage's types out of http/: routes get use cases' deps, never Storage or a store port", () => {
    // The ports are the types domain/storage.ts gathers into Storage; http/ may name none of them.
    const storageTypes = readFileSync(join(src, 'domain/storage.ts'), 'utf8');
    const ports = new Set(['Storage', ...[...storageTypes.matchAll(/^import type \{ (\w+) \} from/gm)].map((m) => m[1] ?? '')]);
    const importStatements = (file: string): string[] => [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"][^'"]+['"]/gm)].map((m) => m[0]);
    const offenders = files(join(src, 'http')).flatMap((file) =>
      importStatements(file).flatMap((statement) => {
        const names = [...(/\{([^}]*)\}/.exec(statement)?.[1] ?? '').matchAll(/(?:type\s+)?(\w+)(?:\s+as\s+\w+)?/g)].map((m) => m[1] ?? '');
        const found = [...(/domain\/storage\.js['"]/.test(statement) ? ['domain/storage.js'] : []), ...names.filter((n) => ports.has(n))];
        return found.map((what) => `${relative(src, file)} imports ${what}`);
      }),
    );
    expect(ports.size).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });

  it('hands http/ bound use cases, never storage: no HttpDeps property is, or holds, a store', () => {
    // Checked by the compiler (npm run typecheck): otherwise "Type 'true' is not assignable to type" the
    // offending properties' names.
    const noStorage: [StorageProperties<HttpDeps>] extends [never] ? true : `${StorageProperties<HttpDeps> & string}` = true;
    expect(noStorage).toBe(true);
    // The check itself: it finds storage as a property, as a part of Storage, and inside a property's deps.
    expectTypeOf<StorageProperties<{ storage: Storage }>>().toEqualTypeOf<'storage'>();
    expectTypeOf<StorageProperties<{ users: Storage['users']; stores: Pick<Storage, 'users'> }>>().toEqualTypeOf<'users' | 'stores'>();
    expectTypeOf<StorageProperties<{ login: { readonly storage: Pick<Storage, 'users' | 'audit'>; readonly clock: { now(): number } } }>>().toEqualTypeOf<'login'>();
    expectTypeOf<StorageProperties<{ clock: { now(): number }; settle: () => Promise<void>; issuer: string; list: readonly string[] }>>().toEqualTypeOf<never>();
  });

  it('reads the environment only where the CLI hands it to loadConfig', () => {
    const readers = files(src).filter((f) => readFileSync(f, 'utf8').includes('process.env')).map((f) => relative(src, f));
    expect(readers).toEqual(['cli/command-action.ts']);
  });

  it('ships only runtime dependencies that the server code imports (the rest are devDependencies)', () => {
    const manifest = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { dependencies: Record<string, string> };
    const used = new Set(files(src).flatMap(imports).map((i) => (i.startsWith('@') ? i.split('/').slice(0, 2).join('/') : (i.split('/')[0] ?? ''))));
    expect(Object.keys(manifest.dependencies).filter((name) => !used.has(name))).toEqual([]);
  });

  it('uses named exports only', () => {
    const offenders = files(src).filter((f) => /^export default/m.test(readFileSync(f, 'utf8'))).map((f) => relative(src, f));
    expect(offenders).toEqual([]);
  });
});
