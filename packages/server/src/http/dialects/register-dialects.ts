import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../deps.js';
import { markTokenPath } from '../access-log.js';
import { registerAccessTokenRoutes } from './access-token/access-token-routes.js';
import { registerAuthenticateRoutes } from './authenticate/authenticate-routes.js';
import { registerTokenApiRoutes } from './token-api/token-api-routes.js';

const DIALECT_ROUTES: Readonly<Record<string, (scope: FastifyInstance, deps: HttpDeps) => void>> = {
  'token-api': registerTokenApiRoutes,
  authenticate: registerAuthenticateRoutes,
  'access-token': registerAccessTokenRoutes,
};

/**
 * Mounts the legacy token dialects named in LATCHKEY_DIALECTS, each in its own encapsulated scope (its
 * own body parsing and error mapper), beside the OAuth endpoints and never on the token hot path.
 */
export async function registerDialects(app: FastifyInstance, deps: HttpDeps, dialects: readonly string[]): Promise<void> {
  for (const dialect of dialects) {
    const register = DIALECT_ROUTES[dialect];
    if (register) {
      await app.register(async (scope) => {
        markTokenPath(scope);
        register(scope, deps);
      });
    }
  }
}
