/**
 * The wire shapes of Latchkey's HTTP APIs as TypeBox schemas (JSON Schema at run time, TypeScript types
 * through `Static`): the server validates and documents its routes with them (/api/openapi.json), and
 * the web portal reads exactly what they describe. Each response schema `XJson` has a type of the same
 * name: `import type { ApplicationJson } from '@latchkey/contract'`.
 */
export * from './portal/problem.js';
export * from './portal/pagination.js';
export * from './portal/applications.js';
export * from './portal/catalog.js';
export * from './portal/users.js';
export * from './portal/team.js';
export * from './portal/personal-tokens.js';
export * from './portal/audit.js';
export * from './portal/outbox.js';
export * from './portal/postman.js';
export * from './portal/portal-settings.js';
export * from './dialects/dialect-schema.js';
export * from './dialects/access-token.js';
export * from './dialects/authenticate.js';
export * from './dialects/token-api.js';
export * from './oauth.js';
export * from './sdk-snippet.js';
