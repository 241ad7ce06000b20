import { ScrollArea } from '../components/scroll-area.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import type { PersonalTokenJson } from '@latchkey/contract';

/** Who holds a token, as a token administrator reads it: the email, or the user id of a deleted account. */
export function ownerOf(token: PersonalTokenJson): string {
  return token.user.email ?? token.user.id;
}

interface TableProps {
  readonly tokens: readonly PersonalTokenJson[];
  /** Token administrators see every user's tokens: show the owner. */
  readonly showOwner?: boolean;
  readonly replaceLinks?: boolean;
  onGenerate?(token: PersonalTokenJson): void;
  onDelete(token: PersonalTokenJson): void;
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
            const gone = token.status === 'revoked' || token.status === 'expired';
            return (
              <tr key={token.id}>
                <th scope="row">
                  {token.name}
                  {token.status === 'revoked' && <span className="badge rejected">{t('pat.revoked')}</span>}
                  {token.status === 'expired' && <span className="badge rejected">{t('pat.expired')}</span>}
                </th>
                {showOwner && <td>{ownerOf(token)}</td>}
                <td>{token.scopes.length > 0 ? token.scopes.map((s) => <code key={s}>{s}</code>) : '—'}</td>
                <td>{date(token.expires_at)}</td>
                <td>{token.last_used_at ? date(token.last_used_at) : t('cred.never')}</td>
                <td>
                  <div className="row-actions">
                  {onGenerate && !gone && (
                    <button type="button" className="small" onClick={() => onGenerate(token)} aria-label={`${token.generated_at ? t('pat.regenerate') : t('pat.generate')}: ${token.name}`}>
                      {token.generated_at ? t('pat.regenerate') : t('pat.generate')}
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
