/** `owner`: requested the application; `member`: joined it by invitation. Both may do the same things. */
export type TeamRole = 'owner' | 'member';

export interface Membership {
  readonly applicationId: string;
  readonly userId: string;
  readonly role: TeamRole;
  readonly joinedAt: number;
}

/** A membership with the user's email and name, as the member list shows it. */
export interface Member extends Membership {
  readonly email: string;
  readonly name: string;
}

export type RemoveMemberOutcome = 'removed' | 'not_member' | 'last_member';

export interface MemberStore {
  /** Adds the membership; false (and no change) when the user is a member already. */
  add(membership: Membership): Promise<boolean>;
  get(applicationId: string, userId: string): Promise<Membership | null>;
  /** Every member, earliest first. */
  list(applicationId: string): Promise<Member[]>;
  /**
   * Removes the membership unless it is the application's last one. Removals are serialised with every
   * other write (the store-wide lock), so two members removing each other at once never leave an
   * application without members: one is removed, the other call answers `last_member`.
   */
  remove(applicationId: string, userId: string): Promise<RemoveMemberOutcome>;
}
