import { decideApplication } from './domain/applications/decide-application.js';
import { getApplication } from './domain/applications/get-application.js';
import { listApplications, listEnvironmentsOf } from './domain/applications/list-applications.js';
import { getApplicationDraft, requestApplication } from './domain/applications/request-application.js';
import { listAuditEvents } from './domain/audit/list-audit-events.js';
import { createService } from './domain/catalog/create-service.js';
import { getService, listServices } from './domain/catalog/list-services.js';
import { retireService, updateService } from './domain/catalog/update-service.js';
import { authenticateClient } from './domain/clients/authenticate-client.js';
import { decideEnvironment } from './domain/environments/decide-environment.js';
import { regenerateSecret } from './domain/environments/regenerate-secret.js';
import { registerEnvironment } from './domain/environments/register-environment.js';
import { acceptInvitation } from './domain/invitations/accept-invitation.js';
import { inviteMember } from './domain/invitations/invite-member.js';
import { listInvitations } from './domain/invitations/list-invitations.js';
import { listOutbox } from './domain/mail/list-outbox.js';
import { listMembers } from './domain/members/list-members.js';
import { removeMember } from './domain/members/remove-member.js';
import { exportPostmanCollection } from './domain/postman/export-postman-collection.js';
import { describeAuthorizationServer } from './domain/oauth/describe-authorization-server.js';
import { clientCredentialsGrant } from './domain/oauth/grants/client-credentials.js';
import type { Grant } from './domain/oauth/grants/grant.js';
import { grantPasswordToken } from './domain/oauth/grants/password.js';
import { grantRevealingClientToken } from './domain/oauth/grants/revealing-client-credentials.js';
import { TOKEN_GRANTS, tokenGrant, type TokenGrantDeps } from './domain/oauth/grants/token-grants.js';
import { introspectToken } from './domain/oauth/introspect-token.js';
import { readRevocations } from './domain/oauth/read-revocations.js';
import { revokeToken } from './domain/oauth/revoke-token.js';
import { authenticatePersonalToken } from './domain/personal-tokens/authenticate-personal-token.js';
import { createPersonalToken } from './domain/personal-tokens/create-personal-token.js';
import { deletePersonalToken } from './domain/personal-tokens/delete-personal-token.js';
import { generatePersonalToken } from './domain/personal-tokens/generate-personal-token.js';
import { getPersonalToken } from './domain/personal-tokens/get-personal-token.js';
import { listAllPersonalTokens, listOwnPersonalTokens, listPersonalTokenAudit } from './domain/personal-tokens/list-personal-tokens.js';
import { listTokenScopes } from './domain/personal-tokens/list-token-scopes.js';
import { revokePersonalToken } from './domain/personal-tokens/revoke-personal-token.js';
import { endSession, endUserSessions } from './domain/sessions/end-session.js';
import { logIn } from './domain/sessions/log-in.js';
import { resolveSession } from './domain/sessions/resolve-session.js';
import { listLockouts } from './domain/users/list-lockouts.js';
import { listUsers } from './domain/users/list-users.js';
import { setUserDisabled } from './domain/users/set-user-disabled.js';
import { setUserRoles } from './domain/users/set-user-roles.js';
import { signUp } from './domain/users/sign-up.js';

/** Every use case a driver other than the CLI calls, by the name it is called by once bound. */
const USE_CASES = {
  acceptInvitation,
  authenticateClient,
  authenticatePersonalToken,
  createPersonalToken,
  createService,
  decideApplication,
  decideEnvironment,
  deletePersonalToken,
  describeAuthorizationServer,
  endSession,
  endUserSessions,
  exportPostmanCollection,
  generatePersonalToken,
  getApplication,
  getApplicationDraft,
  getPersonalToken,
  getService,
  grantPasswordToken,
  grantRevealingClientToken,
  introspectToken,
  inviteMember,
  listAllPersonalTokens,
  listApplications,
  listAuditEvents,
  listEnvironmentsOf,
  listInvitations,
  listLockouts,
  listMembers,
  listOutbox,
  listOwnPersonalTokens,
  listPersonalTokenAudit,
  listServices,
  listTokenScopes,
  listUsers,
  logIn,
  readRevocations,
  regenerateSecret,
  registerEnvironment,
  removeMember,
  requestApplication,
  resolveSession,
  retireService,
  revokePersonalToken,
  revokeToken,
  setUserDisabled,
  setUserRoles,
  signUp,
  updateService,
};

type UseCaseTable = typeof USE_CASES;

/** A use case with its deps supplied: the same function of its input alone. */
type Bound<F> = F extends (deps: never, ...input: infer Input) => infer Result ? (...input: Input) => Result : never;

/** A grant of the token endpoint with its deps supplied. */
export type BoundGrant = Omit<Grant<TokenGrantDeps>, 'handle'> & { readonly handle: Bound<Grant<TokenGrantDeps>['handle']> };

export type UseCases = { readonly [Name in keyof UseCaseTable]: Bound<UseCaseTable[Name]> } & {
  /** The token endpoint's grant for a `grant_type`; `unsupported_grant` naming the supported ones otherwise. */
  readonly tokenGrant: (grantType: string) => BoundGrant;
  /** The client_credentials grant itself, for the dialects that issue its token under another shape. */
  readonly clientCredentialsGrant: BoundGrant;
};

/**
 * What binding every use case needs: the intersection of their deps, each as the use case states it
 * (inferred from their parameter positions, so a use case that needs more makes this need more).
 */
export type UseCaseDeps = TokenGrantDeps &
  ({ [Name in keyof UseCaseTable]: (deps: Parameters<UseCaseTable[Name]>[0]) => void }[keyof UseCaseTable] extends (deps: infer Deps) => void ? Deps : never);

function bindGrant(grant: Grant<TokenGrantDeps>, deps: TokenGrantDeps): BoundGrant {
  // One call more than the unbound grant, and no allocation: a cached client's token stays synchronous.
  return { grantType: grant.grantType, clientAuthentication: grant.clientAuthentication, handle: (input) => grant.handle(deps, input) };
}

/** Binds every use case to `deps` once, at start-up: drivers call `useCases.x(input)` and never see storage. */
export function bindUseCases(deps: UseCaseDeps): UseCases {
  const bound = Object.fromEntries(
    Object.entries(USE_CASES).map(([name, useCase]) => {
      // Each entry takes deps that `UseCaseDeps` includes, and its own input, passed on as given.
      const call = useCase as (deps: UseCaseDeps, ...input: unknown[]) => unknown;
      return [name, (...input: unknown[]) => call(deps, ...input)];
    }),
  ) as { readonly [Name in keyof UseCaseTable]: Bound<UseCaseTable[Name]> };
  const grants = new Map([...TOKEN_GRANTS].map(([grantType, grant]) => [grantType, bindGrant(grant, deps)]));
  return {
    ...bound,
    // Any other grant_type: tokenGrant throws unsupported_grant, naming the supported ones.
    tokenGrant: (grantType) => grants.get(grantType) ?? bindGrant(tokenGrant(grantType), deps),
    clientCredentialsGrant: grants.get(clientCredentialsGrant.grantType) ?? bindGrant(clientCredentialsGrant, deps),
  };
}
