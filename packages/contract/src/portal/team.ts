import { Type, type Static } from 'typebox';

export const MemberJson = Type.Object({
  userId: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.Union([Type.Literal('owner'), Type.Literal('member')], { description: 'owner: requested the application; member: joined by invitation' }),
  joined_at: Type.String({ format: 'date-time' }),
}, { title: 'Member' });
export type MemberJson = Static<typeof MemberJson>;

export const InvitationJson = Type.Object({
  id: Type.String(),
  email: Type.String(),
  invited_by: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
  expires_at: Type.String({ format: 'date-time' }),
}, { title: 'Invitation' });
export type InvitationJson = Static<typeof InvitationJson>;

export const InviteBody = Type.Object({ email: Type.String({ minLength: 3, maxLength: 320 }) });
export type InviteBody = Static<typeof InviteBody>;
