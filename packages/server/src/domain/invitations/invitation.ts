/** An invitation to join an application, bound to one address; the link's token is stored only hashed. */
export interface Invitation {
  readonly id: string;
  readonly applicationId: string;
  /** Lower-cased; only a user with this address may accept. */
  readonly email: string;
  /** HMAC of the link's token under the server key. */
  readonly tokenHash: string;
  readonly invitedBy: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly acceptedAt: number | null;
  readonly acceptedBy: string | null;
}

export interface InvitationStore {
  create(invitation: Invitation): Promise<void>;
  getByTokenHash(tokenHash: string): Promise<Invitation | null>;
  /** Invitations not yet accepted and not expired at `now`, newest first. */
  listOpen(applicationId: string, now: number): Promise<Invitation[]>;
  /**
   * Marks an unaccepted invitation accepted. Of concurrent callers for one invitation exactly one gets
   * true; the others (and any later caller) get false.
   */
  markAccepted(invitationId: string, userId: string, at: number): Promise<boolean>;
}
