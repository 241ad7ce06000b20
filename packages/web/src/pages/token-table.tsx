import { ScrollArea } from '../components/scroll-area.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { str, time } from '../model.js';

export interface PersonalToken {
  readonly id: string;
  readonly name: string;
  readonly owner: string;
  readonly scopes: readonly string[];
  readonly expiresAt: string | number | null;
  readonly lastUsedAt: string | number | null;
  readonly generatedAt: string | number | null;
  readonly revokedAt: string | number | null;
}

export function toPersonalToken(raw: Record<string, unknown>): PersonalToken {
  const user = (raw.user ?? {}) as Record<string, unknown>;
  return {
    id: str(raw, 'id'),
    name: str(raw, 'name'),
    owner: str(raw, 'user_email', 'userEmail', 'email') || str(user, 'email') || str(raw, 'user_id', 'userId'),
    scopes: Array.isArray(raw.scopes) ? (raw.scopes as string[]) : [],
    expiresAt: time(raw, 'expires_at', 'expiresAt'),
    lastUsedAt: time(raw, 'last_used_at', 'lastUsedAt'),
    generatedAt: time(raw, 'generated_at', 'generatedAt'),
    revokedAt: time(raw, 'revoked_at', 'revokedAt'),
  };
}

function expired(token: PersonalToken): boolean {
  return token.expiresAt !== null && new Date(typeof token.expiresAt === 'number' && token.expiresAt < 1e12 ? token.expiresAt * 1000 : token.expiresAt).getTime() < Date.now();
}

interface TableProps {
  readonly tokens: readonly PersonalToken[];
  /** Token administrators see every user's tokens: show the owner. */
  readonly showOwner?: boolean;
  readonly replaceLinks?: boolean;
  onGenerate?(token: PersonalToken): void;
  onDelete(token: PersonalToken): void;
}

export function TokenTable({ tokens, showOwner = false, replaceLinks = false, onGenerate, onDelete }: TableProps) {
  const { t, date } = useI18n();
  return (
    <ScrollArea label={t('pat.title')}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('field.name')}</th>
            {showOwner && <th scope="col">{t('pat.owner')}</th>}
            <th scope="col">{t('pat.scopes')}</th>
            <th scope="col">{t('pat.expires')}</th>
            <th scope="col">{t('pat.lastUsed')}</th>
            <th scope="col">{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => {
            const gone = token.revokedAt !== null || expired(token);
            return (
              <tr key={token.id}>
                <th scope="row">
                  {token.name}
                  {token.revokedAt !== null && <span className="badge rejected">{t('pat.revoked')}</span>}
                  {token.revokedAt === null && expired(token) && <span className="badge rejected">{t('pat.expired')}</span>}
                </th>
                {showOwner && <td>{token.owner}</td>}
                <td>{token.scopes.length > 0 ? token.scopes.map((s) => <code key={s}>{s}</code>) : '—'}</td>
                <td>{date(token.expiresAt)}</td>
                <td>{token.lastUsedAt ? date(token.lastUsedAt) : t('cred.never')}</td>
                <td>
                  <div className="row-actions">
                  {onGenerate && !gone && (
                    <button type="button" className="small" onClick={() => onGenerate(token)} aria-label={`${token.generatedAt ? t('pat.regenerate') : t('pat.generate')}: ${token.name}`}>
                      {token.generatedAt ? t('pat.regenerate') : t('pat.generate')}
                    </button>
                  )}
                  {replaceLinks && (
                    <Link className="button secondary small" to={`/tokens/new?replace=${encodeURIComponent(token.id)}`} aria-label={`${t('pat.replace')}: ${token.name}`}>
                      {t('pat.replace')}
                    </Link>
                  )}
                  <button type="button" className="danger small" onClick={() => onDelete(token)} aria-label={`${t('common.delete')}: ${token.name}`}>
                    {t('common.delete')}
                  </button>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollArea>
  );
}
