import { enqueueMail, type MailStamp } from '../mail/enqueue-mail.js';
import { renderMail } from '../mail/render-mail.js';
import type { Storage } from '../storage.js';
import type { User } from '../users/user.js';
import type { NoticeKind, PersonalToken } from './personal-token.js';

/** The owner's mail about a record: created, expiring soon, revoked by a token administrator. */
export type PersonalTokenNotice = 'created' | NoticeKind | 'revoked';

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

function subjectOf(notice: PersonalTokenNotice, token: PersonalToken): string {
  switch (notice) {
    case 'created':
      return `Personal access token "${token.name}" created`;
    case 'expiry_7d':
      return `Personal access token "${token.name}" expires in 7 days`;
    case 'expiry_1d':
      return `Personal access token "${token.name}" expires tomorrow`;
    case 'revoked':
      return `Personal access token "${token.name}" was revoked`;
  }
}

function paragraphsOf(notice: PersonalTokenNotice, token: PersonalToken): string[] {
  const scopes = `Scopes: ${token.scopes.join(' ') || '(none)'}. Expires: ${new Date(token.expiresAt).toISOString()}.`;
  switch (notice) {
    case 'created':
      return [`A personal access token named "${token.name}" was created for your Latchkey account.`, scopes, 'If this was not you, delete it and tell your administrator.'];
    case 'expiry_7d':
    case 'expiry_1d':
      return [`Your personal access token "${token.name}" expires on ${day(token.expiresAt)}. Integrations using it will stop working then.`, scopes, 'Create a replacement with the same name and scopes from the link below, then update the integrations that use it.'];
    case 'revoked':
      return [`A token administrator revoked your personal access token "${token.name}". It no longer works.`, scopes, 'If you still need it, create a replacement from the link below.'];
  }
}

/**
 * Queues the owner's notice in the caller's transaction (a rolled-back change sends nothing). The link
 * opens the portal page that creates a replacement with the same name and scopes.
 */
export async function enqueuePersonalTokenNotice(
  tx: Storage,
  deps: MailStamp & { readonly issuer: string },
  notice: PersonalTokenNotice,
  token: PersonalToken,
  owner: Pick<User, 'email' | 'name'>,
): Promise<void> {
  const body = renderMail({
    greeting: `Hello ${owner.name},`,
    paragraphs: paragraphsOf(notice, token),
    link:
      notice === 'created'
        ? { label: 'Your personal access tokens', url: `${deps.issuer}/tokens` }
        : { label: 'Create a replacement token', url: `${deps.issuer}/tokens/new?replace=${encodeURIComponent(token.id)}` },
    footer: 'You get this because you own this personal access token on Latchkey.',
  });
  await enqueueMail(tx, { to: owner.email, subject: subjectOf(notice, token), ...body, kind: `personal_token.${notice}` }, deps);
}
