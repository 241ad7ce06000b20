import type { OAuthDeps } from '../../domain/oauth/oauth-deps.js';
import type { HttpDeps } from '../deps.js';

/** The OAuth use cases' deps out of the HTTP layer's, built once when the routes are registered. */
export function oauthDepsOf(deps: HttpDeps): OAuthDeps {
  return {
    clock: deps.clock,
    random: deps.random,
    issuer: deps.issuer,
    keys: deps.keys,
    serverKeys: deps.serverKeys,
    directory: deps.directory,
    usage: deps.usage,
    denylist: deps.denylist,
    watermarks: deps.watermarks,
    login: deps.login,
    clientThrottle: deps.clientThrottle,
    environments: deps.environments,
    personalTokenUsage: deps.personalTokenUsage,
    storage: deps.oauthStores,
  };
}
