import { useState } from 'react';
import type { PersonalTokenJson } from '@latchkey/contract';
import { api, ApiError, enc, toApiError } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { useApiAll } from '../use-api.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { Empty, ErrorNotice, Loading } from '../components/states.js';
import { ownerOf, TokenTable } from '../pages/token-table.js';

/** Token administrators: every user's personal access tokens, and revoking any of them. */
export function AllTokensSection() {
  const { t } = useI18n();
  const loaded = useApiAll<PersonalTokenJson>('/tokens');
  const tokens = loaded.data ?? [];
  const [deleting, setDeleting] = useState<PersonalTokenJson | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const remove = async (token: PersonalTokenJson): Promise<void> => {
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
          <p>{t('pat.deleteOtherText', { owner: ownerOf(deleting) })}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
