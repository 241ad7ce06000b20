import { useState } from 'react';
import type { AdminUserJson, SetRolesBody } from '@latchkey/contract';
import { api, ApiError, enc, toApiError } from '../api.js';
import { ScrollArea } from '../components/scroll-area.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import { useSession, type Role } from '../session.js';
import { useApiAll } from '../use-api.js';
import { Empty, ErrorNotice, Loading } from '../components/states.js';

const ROLES: readonly { role: Role; label: MessageKey }[] = [
  { role: 'admin', label: 'role.admin' },
  { role: 'token_admin', label: 'role.token_admin' },
  { role: 'pat', label: 'role.pat' },
];

/** Roles hold at once: the user sees the change on their next page or when their window regains focus. */
export function UsersSection() {
  const { t } = useI18n();
  const { refresh } = useSession();
  const loaded = useApiAll<AdminUserJson>('/users');
  const users = loaded.data ?? [];
  const [error, setError] = useState<ApiError | null>(null);
  // The box shows the new state at once; a refusal (the last administrator) puts it back with the reason.
  const [shown, setShown] = useState<Readonly<Record<string, readonly Role[]>>>({});
  const rolesOf = (user: AdminUserJson): readonly Role[] => shown[user.id] ?? user.roles;
  const setRoles = async (user: AdminUserJson, roles: readonly Role[]): Promise<void> => {
    setError(null);
    setShown((s) => ({ ...s, [user.id]: roles }));
    try {
      const body: SetRolesBody = { roles: [...roles] };
      await api('PUT', `/users/${enc(user.id)}/roles`, body);
      await refresh();
    } catch (e) {
      setError(toApiError(e));
      setShown((s) => ({ ...s, [user.id]: user.roles }));
    }
  };
  return (
    <section aria-labelledby="users">
      <h2 id="users">{t('admin.users')}</h2>
      <p>{t('admin.usersIntro')}</p>
      {loaded.loading && <Loading />}
      <ErrorNotice error={loaded.error ?? error} />
      {loaded.data !== undefined && users.length === 0 && <Empty>{t('admin.noUsers')}</Empty>}
      {users.length > 0 && (
        <ScrollArea label={t('admin.users')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('field.name')}</th>
                <th scope="col">{t('field.email')}</th>
                {ROLES.map((r) => (
                  <th scope="col" key={r.role}>
                    {t(r.label)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id}>
                  <th scope="row">{user.name || '—'}</th>
                  <td>{user.email}</td>
                  {ROLES.map((r) => (
                    <td key={r.role}>
                      <input
                        type="checkbox"
                        checked={rolesOf(user).includes(r.role)}
                        aria-label={t('admin.roleFor', { role: t(r.label), who: user.email })}
                        onChange={(e) => void setRoles(user, e.target.checked ? [...rolesOf(user), r.role] : rolesOf(user).filter((x) => x !== r.role))}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      )}
    </section>
  );
}
