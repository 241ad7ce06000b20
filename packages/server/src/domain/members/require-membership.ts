import type { Storage } from '../storage.js';
import { DomainError } from '../errors.js';
import { normaliseAcronym, type Application } from '../applications/application.js';
import { isAdmin, type Actor } from '../actor.js';

/** The application, or `not_found`. */
export async function findApplication(storage: Pick<Storage, 'applications'>, acronym: string): Promise<Application> {
  const application = await storage.applications.getByAcronym(normaliseAcronym(acronym));
  if (!application) throw new DomainError('not_found', `no application with acronym ${normaliseAcronym(acronym)}`);
  return application;
}

/** Whether the user is a member of the application (false when it does not exist). For `?application=` filters. */
export async function isApplicationMember(storage: Pick<Storage, 'applications' | 'members'>, userId: string, acronym: string): Promise<boolean> {
  const application = await storage.applications.getByAcronym(normaliseAcronym(acronym));
  return application !== null && (await storage.members.get(application.id, userId)) !== null;
}

/**
 * The application, when the actor is one of its members or a system administrator; otherwise `not_found`
 * (no such application) or `forbidden` (not a member).
 */
export async function requireMembership(storage: Pick<Storage, 'applications' | 'members'>, actor: Actor, acronym: string): Promise<Application> {
  const application = await findApplication(storage, acronym);
  if (isAdmin(actor) || (actor.user && (await storage.members.get(application.id, actor.user.id)))) return application;
  throw new DomainError('forbidden', `you are not a member of ${application.acronym}; ask one of its members to invite you`);
}

export function requireAdmin(actor: Actor, what: string): void {
  if (!isAdmin(actor)) throw new DomainError('forbidden', `only a system administrator may ${what}`);
}
