import type { Generated } from 'kysely';

/** Table shapes as Kysely sees them. Times are epoch milliseconds; JSON columns are text. */
export interface Database {
  meta: { id: number; change_seq: number; lock_seq: number };
  changes: { seq: number; entity: string; entity_id: string; created_at: number };
  services: {
    key: string;
    name: string;
    description: string;
    scopes: string;
    audiences: string;
    created_at: number;
    updated_at: number;
    retired_at: number | null;
    base_urls: string;
  };
  applications: {
    id: string;
    acronym: string;
    name: string;
    description: string;
    status: string;
    created_at: number;
    updated_at: number;
    requested_by: string | null;
    requested_at: number;
    decision_reason: string | null;
    decided_by: string | null;
    decided_at: number | null;
  };
  clients: {
    client_id: string;
    application_id: string;
    env: string;
    enabled: number;
    token_ttl: number;
    grants: string;
    created_at: number;
    updated_at: number;
    rotated_at: number | null;
    last_used_at: number | null;
  };
  client_secrets: {
    id: string;
    client_id: string;
    hash: string;
    created_at: number;
    expires_at: number | null;
    last_used_at: number | null;
  };
  users: {
    id: string;
    email: string;
    name: string;
    password_hash: string;
    roles: string;
    created_at: number;
    disabled_at: number | null;
  };
  signing_keys: {
    kid: string;
    alg: string;
    public_jwk: string;
    private_key: string;
    created_at: number;
    activates_at: number | null;
    revoked_at: number | null;
  };
  application_members: { application_id: string; user_id: string; role: string; joined_at: number };
  invitations: {
    id: string;
    application_id: string;
    email: string;
    token_hash: string;
    invited_by: string;
    created_at: number;
    expires_at: number;
    accepted_at: number | null;
    accepted_by: string | null;
  };
  environment_registrations: {
    id: string;
    application_id: string;
    env: string;
    status: string;
    name: string;
    description: string;
    services: string;
    requested_by: string | null;
    requested_at: number;
    decided_by: string | null;
    decided_at: number | null;
    reason: string | null;
    client_id: string | null;
  };
  sessions: {
    id: string;
    user_id: string;
    secret_hash: string;
    created_at: number;
    last_seen_at: number;
    expires_at: number;
    address: string | null;
    user_agent: string | null;
  };
  revoked_tokens: { jti: string; expires_at: number };
  audit_events: {
    id: Generated<number>;
    at: number;
    actor: string;
    action: string;
    target: string;
    address: string | null;
    details: string;
  };
  mail_outbox: {
    id: string;
    kind: string;
    recipient: string;
    subject: string;
    text: string;
    html: string;
    status: string;
    attempts: number;
    next_attempt_at: number;
    last_error: string | null;
    created_at: number;
    sent_at: number | null;
  };
  token_watermarks: { subject: string; generation: number; updated_at: number };
  /** `account` is '' for an address-wide lock-out (primary-key columns cannot be null). */
  login_lockouts: { scope: string; account: string; address: string; failures: number; locked_at: number; locked_until: number };
  /** Failure counters (`stamp`: the last failure) and attempt windows (`stamp`: the window's start). */
  attempt_counters: { key: string; attempts: number; stamp: number; expires_at: number };
  personal_tokens: {
    id: string;
    user_id: string;
    name: string;
    scopes: string;
    expires_at: number;
    jti: string | null;
    generated_at: number | null;
    last_used_at: number | null;
    last_used_from: string | null;
    created_at: number;
    revoked_at: number | null;
    revoked_by: string | null;
    notice_expiry_7d_at: number | null;
    notice_expiry_1d_at: number | null;
  };
}

export type SqlDialectName = 'sqlite' | 'postgres';
