import type { Storage } from '../storage.js';
import type { Role } from '../users/user.js';
import { enqueueMail, type MailStamp } from '../mail/enqueue-mail.js';
import { renderMail, type MailContent } from '../mail/render-mail.js';

/** One message about an application or its team, before rendering. */
export interface TeamMail {
  readonly to: string;
  readonly subject: string;
  readonly kind: string;
  readonly content: MailContent;
}

/** Queues the messages in the caller's transaction: they go out only if the change they report commits. */
export async function sendTeamMail(tx: Storage, mails: readonly TeamMail[], stamp: MailStamp): Promise<void> {
  for (const mail of mails) {
    await enqueueMail(tx, { to: mail.to, subject: mail.subject, kind: mail.kind, ...renderMail(mail.content) }, stamp);
  }
}

/** The same message to every user holding a role (system administrators, for requests they must decide). */
export async function mailRole(tx: Storage, role: Role, compose: (to: { email: string; name: string }) => TeamMail, stamp: MailStamp): Promise<void> {
  const users = await tx.users.listWithRole(role);
  await sendTeamMail(tx, users.map((u) => compose(u)), stamp);
}

/** The page of an application in the portal: where every mail to its team links to. */
export function applicationUrl(issuer: string, acronym: string): string {
  return `${issuer}/applications/${encodeURIComponent(acronym)}`;
}

/**
 * The portal page where an administrator decides a request: the application's account, or one of its
 * environments. Mail to administrators links here, not to the application's page, which is the team's.
 */
export function reviewUrl(issuer: string, acronym: string, env?: string): string {
  return `${issuer}/admin/requests/${encodeURIComponent(acronym)}${env === undefined ? '' : `/${encodeURIComponent(env)}`}`;
}
