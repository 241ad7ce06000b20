import type { Migration, MigrationProvider } from 'kysely';
import type { SqlDialectName } from '../schema.js';
import { migration0001 } from './0001-token-server.js';
import { migration0002 } from './0002-password-grant.js';
import { migration0003 } from './0003-portal-sessions.js';
import { migration0004 } from './0004-applications-and-teams.js';
import { migration0005 } from './0005-mail-outbox.js';
import { migration0006 } from './0006-personal-tokens.js';
import { migration0007 } from './0007-application-requested-at.js';
import { migration0008 } from './0008-attempt-counters.js';

/**
 * The schema, as a static forward-only list in number order: a released migration is never edited, only
 * followed by another. The same list runs on SQLite and PostgreSQL; `dialect` picks the few types that
 * differ. To add one: a file `NNNN-what-it-does.ts` beside this one, exporting `migrationNNNN`, and one
 * line at the end of this list.
 */
const MIGRATIONS: readonly (readonly [string, (dialect: SqlDialectName) => Migration])[] = [
  ['0001_token_server', migration0001],
  ['0002_password_grant', migration0002],
  ['0003_portal_sessions', migration0003],
  ['0004_applications_and_teams', migration0004],
  ['0005_mail_outbox', migration0005],
  ['0006_personal_tokens', migration0006],
  ['0007_application_requested_at', migration0007],
  ['0008_attempt_counters', migration0008],
];

/** The migrations' names, in the order they run. */
export const MIGRATION_NAMES: readonly string[] = MIGRATIONS.map(([name]) => name);

export function migrationProvider(dialect: SqlDialectName): MigrationProvider {
  return { getMigrations: () => Promise.resolve(Object.fromEntries(MIGRATIONS.map(([name, migration]) => [name, migration(dialect)]))) };
}
