import { useState, type FormEvent } from 'react';
import type { InviteBody, MemberJson } from '@latchkey/contract';
import { api, ApiError, enc, toApiError } from '../api.js';
import { ScrollArea } from '../components/scroll-area.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../session.js';
import { useApiAll } from '../use-api.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { TextField } from '../components/field.js';
import { Empty, ErrorNotice, Loading, Notice } from '../components/states.js';

/** Every member may invite and remove others, never themselves. */
export function TeamSection({ acronym }: { readonly acronym: string }) {
  const { t, date } = useI18n();
  const { user } = useSession();
  const base = `/applications/${enc(acronym)}`;
  const loaded = useApiAll<MemberJson>(`${base}/members`);
  const members = loaded.data ?? [];
  const [removing, setRemoving] = useState<MemberJson | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [email, setEmail] = useState('');
  const [invited, setInvited] = useState<string | null>(null);

  const remove = async (member: MemberJson): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await api('DELETE', `${base}/members/${enc(member.userId)}`);
      loaded.reload();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
      setRemoving(null);
    }
  };
  const invite = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(null);
    setInvited(null);
    try {
      const body: InviteBody = { email };
      await api('POST', `${base}/invitations`, body);
      setInvited(email);
      setEmail('');
    } catch (e) {
      setError(toApiError(e));
    }
  };

  return (
    <section aria-labelledby="team">
      <h2 id="team">{t('team.title')}</h2>
      {loaded.loading && <Loading />}
      <ErrorNotice error={loaded.error ?? error} />
      {loaded.data !== undefined && members.length === 0 && <Empty>{t('team.empty')}</Empty>}
      {members.length > 0 && (
        <ScrollArea label={t('team.title')}>
        <table>
          <caption className="visually-hidden">{t('team.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('field.name')}</th>
              <th scope="col">{t('field.email')}</th>
              <th scope="col">{t('team.joined')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId}>
                <th scope="row">{m.name || '—'}</th>
                <td>{m.email}</td>
                <td>{date(m.joined_at)}</td>
                <td>
                  {m.userId === user?.id || m.email === user?.email ? (
                    <span className="muted">{t('team.you')}</span>
                  ) : (
                    <button type="button" className="danger small" onClick={() => setRemoving(m)} aria-label={t('team.removeWho', { who: m.name || m.email })}>
                      {t('team.remove')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </ScrollArea>
      )}
      <form onSubmit={invite} className="panel" noValidate aria-labelledby="invite">
        <h3 id="invite">{t('team.invite')}</h3>
        {invited && <Notice kind="success">{t('team.invited', { email: invited })}</Notice>}
        <TextField label={t('field.email')} type="email" autoComplete="off" required value={email} onChange={setEmail} hint={t('team.inviteHint')} />
        <div className="actions start">
          <button type="submit">{t('team.sendInvite')}</button>
        </div>
      </form>
      {removing && (
        <ConfirmDialog title={t('team.removeTitle', { who: removing.name || removing.email })} confirmLabel={t('team.remove')} busy={busy} onConfirm={() => void remove(removing)} onCancel={() => setRemoving(null)}>
          <p>{t('team.removeText', { acronym })}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
