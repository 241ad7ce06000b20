import { normaliseAcronym } from '../applications/application.js';
import { DomainError } from '../errors.js';
import type { Storage } from '../storage.js';
import { isAdmin, type Actor } from '../actor.js';
import type { AuditQuery, StoredAuditEvent } from './audit-event.js';

export interface AuditListing extends Omit<AuditQuery, 'targets' | 'actionPrefixes' | 'actor'> {
  readonly actor: Actor;
  /** Only events by this actor (`user:<id>`, `cli`…). */
  readonly by?: string | undefined;
  readonly target?: string | undefined;
  /** One application's events: on the application itself and on its clients. */
  readonly application?: string | undefined;
}

/**
 * The targets that make up an application's history: `application:<ACRONYM>` (its request, approval,
 * members, invitations, environment registrations) and `client:<client_id>` for each of its clients
 * (secrets regenerated, enabled, disabled).
 */
async function applicationTargets(storage: Pick<Storage, 'clients'>, acronym: string): Promise<string[]> {
  const clients = await storage.clients.list({ acronym });
  return [`application:${acronym}`, ...clients.map((c) => `client:${c.clientId}`)];
}

/**
 * The audit log, newest first. Administrators read all of it; any other user only the history of an
 * application they are a member of (`application`); an application they are not in is "not found" to them.
 */
export async function listAuditEvents(
  deps: { readonly storage: Pick<Storage, 'applications' | 'members' | 'clients' | 'audit'> },
  listing: AuditListing,
): Promise<StoredAuditEvent[]> {
  const { actor: viewer, by, application, target, ...query } = listing;
  const admin = isAdmin(viewer);
  let targets: string[] | undefined = target === undefined ? undefined : [target];
  if (application !== undefined) {
    const acronym = normaliseAcronym(application);
    const found = await deps.storage.applications.getByAcronym(acronym);
    const member = found && !admin && viewer.user ? await deps.storage.members.get(found.id, viewer.user.id) : null;
    if (!found || (!admin && !member)) {
      throw new DomainError('not_found', `no application ${acronym} among yours: GET /api/v1/applications lists the ones you are a member of`);
    }
    const ofApplication = await applicationTargets(deps.storage, found.acronym);
    targets = targets === undefined ? ofApplication : targets.filter((t) => ofApplication.includes(t));
  } else if (!admin) {
    throw new DomainError('forbidden', "only administrators read the whole audit log: pass ?application=<ACRONYM> for an application you are a member of");
  }
  if (targets !== undefined && targets.length === 0) return [];
  return deps.storage.audit.list({ ...query, actor: by, targets });
}
