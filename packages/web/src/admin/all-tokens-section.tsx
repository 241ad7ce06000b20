import { useState } from 'react';
import { api, ApiError, enc, pageOf, toApiError } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { useApi } from '../use-api.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { Empty, ErrorNotice, Loading } from '../components/states.js';
import { toPersonalToken, TokenTable, type PersonalToken } from '../pages/token-table.js';

/** Token administrators: every user's personal access tokens, and revoking any of them. */
export function AllTokensSection() {
  const { t } = useI18n();
  const loaded = useApi<unknown>('/tokens?limit=200');
  const tokens = loaded.data === undefined ? [] : pageOf<Record<string, unknown>>(loaded.data).items.map(toPersonalToken);
  const [deleting, setDeleting] = useState<PersonalToken | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const remove = async (token: PersonalToken): Promise<void> => {
    setError(null);
    try {
      await api('DELETE', `/tokens/${enc(token.id)}`);
    } catch (e) {
      setError(toApiError(e));
    }
    setDeleting(null);
    loaded.reload();
  };
  return (
    <section aria-labelledby="all-tokens">
      <h2 id="all-tokens">{t('admin.tokens')}</h2>
      {loaded.loading && <Loading />}
      <ErrorNotice error={loaded.error ?? error} />
      {loaded.data !== undefined && tokens.length === 0 && <Empty>{t('pat.emptyAll')}</Empty>}
      {tokens.length > 0 && <TokenTable tokens={tokens} showOwner onDelete={setDeleting} />}
      {deleting && (
        <ConfirmDialog title={t('pat.deleteTitle', { name: deleting.name })} confirmLabel={t('common.delete')} onConfirm={() => void remove(deleting)} onCancel={() => setDeleting(null)}>
          <p>{t('pat.deleteOtherText', { owner: deleting.owner })}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
