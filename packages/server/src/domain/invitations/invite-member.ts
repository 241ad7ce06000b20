import type { ServerKeyring } from '../secrets/server-key.js';
import type { TeamDeps } from '../applications/request-application.js';
import { DomainError } from '../errors.js';
import { throwIfInvalid } from '../validation.js';
import { generateSecret } from '../secrets/generated-secret.js';
import { EMAIL, normaliseEmail } from '../users/user.js';
import { actingUser, auditActor, type Actor } from '../actor.js';
import { requireMembership } from '../members/require-membership.js';
import { sendTeamMail } from '../members/team-mail.js';
import type { Invitation } from './invitation.js';

export interface InviteDeps extends TeamDeps {
  readonly serverKeys: ServerKeyring;
  /** How long the link works (LATCHKEY_INVITATION_TTL). */
  readonly invitationTtlSeconds: number;
}

export function invitationUrl(issuer: string, token: string): string {
  return `${issuer}/invitations/${token}`;
}

/**
 * A member invites someone by email: a single-use link, bound to that address, that expires. Only the
 * token's HMAC is stored; the token itself exists in the mail alone.
 */
export async function inviteMember(deps: InviteDeps, input: { readonly actor: Actor; readonly acronym: string; readonly email: string }): Promise<Invitation> {
  const { actor } = input;
  const inviter = actingUser(actor, 'inviting a member');
  const application = await requireMembership(deps.storage, actor, input.acronym);
  const email = normaliseEmail(input.email);
  throwIfInvalid(EMAIL.test(email) && email.length <= 320 ? [] : [{ field: 'email', message: 'expected an email address such as ada@example.com' }]);
  const existing = await deps.storage.users.getByEmail(email);
  if (existing && (await deps.storage.members.get(application.id, existing.id))) {
    throw new DomainError('conflict', `${email} is a member of ${application.acronym} already`);
  }
  const now = deps.clock.now();
  const token = generateSecret(deps.random, 'invitation');
  const invitation: Invitation = {
    id: deps.random.uuid(),
    applicationId: application.id,
    email,
    tokenHash: deps.serverKeys.hash(token),
    invitedBy: inviter.id,
    createdAt: now,
    expiresAt: now + deps.invitationTtlSeconds * 1000,
    acceptedAt: null,
    acceptedBy: null,
  };
  const days = Math.round(deps.invitationTtlSeconds / 86_400);
  const lifetime = days >= 1 ? `${days} day${days === 1 ? '' : 's'}` : `${Math.round(deps.invitationTtlSeconds / 60)} minutes`;
  await deps.storage.transaction(async (tx) => {
    await tx.invitations.create(invitation);
    await tx.audit.append({ at: now, ...auditActor(actor), action: 'member.invited', target: `application:${application.acronym}`, details: { email } });
    await sendTeamMail(
      tx,
      [
        {
          to: email,
          subject: `Join ${application.acronym} on Latchkey`,
          kind: 'invitation',
          content: {
            greeting: 'Hello,',
            paragraphs: [
              `${inviter.name} (${inviter.email}) invited you to join the team of ${application.acronym} (${application.name}) on Latchkey.`,
              `Sign in (or sign up) with this address, ${email}, to accept.`,
            ],
            link: { label: 'Accept the invitation', url: invitationUrl(deps.issuer, token) },
            footer: `The link works once and expires in ${lifetime}. If you did not expect it, ignore this message.`,
          },
        },
      ],
      { now, random: deps.random },
    );
  });
  return invitation;
}
