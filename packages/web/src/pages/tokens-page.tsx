import { useState } from 'react';
import type { GeneratedPersonalTokenJson, PersonalTokenJson } from '@latchkey/contract';
import { api, ApiError, enc, toApiError } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate, searchParam } from '../router.js';
import { hasRole, useSession } from '../session.js';
import { useApiAll } from '../use-api.js';
import { Page } from '../components/page.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { SecretReveal } from '../components/secret-reveal.js';
import { Empty, ErrorNotice, Loading, Notice } from '../components/states.js';
import { TokenTable } from './token-table.js';
import { TokenForm } from './token-form.js';

export function TokensPage({ creating }: { readonly creating: boolean }) {
  const { t } = useI18n();
  const { user } = useSession();
  if (!hasRole(user, 'pat')) {
    return (
      <Page title={t('pat.title')}>
        <Notice kind="warning">
          <p>{t('pat.noRole')}</p>
          <p>{t('pat.noRoleHow')}</p>
        </Notice>
      </Page>
    );
  }
  return <TokensWithRole creating={creating} />;
}

function TokensWithRole({ creating }: { readonly creating: boolean }) {
  const { t } = useI18n();
  const loaded = useApiAll<PersonalTokenJson>('/me/tokens');
  const tokens = loaded.data ?? [];
  const [revealed, setRevealed] = useState<{ name: string; token: string } | null>(null);
  const [deleting, setDeleting] = useState<PersonalTokenJson | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const replaceId = searchParam('replace');
  const replacing = tokens.find((tk) => tk.id === replaceId);

  const generate = async (token: { id: string; name: string }): Promise<void> => {
    setError(null);
    try {
      const generated = await api<GeneratedPersonalTokenJson>('POST', `/me/tokens/${enc(token.id)}/generate`, {});
      setRevealed({ name: token.name, token: generated.token });
    } catch (e) {
      setError(toApiError(e));
    }
    loaded.reload();
  };
  const remove = async (token: PersonalTokenJson): Promise<void> => {
    setError(null);
    try {
      await api('DELETE', `/me/tokens/${enc(token.id)}`);
    } catch (e) {
      setError(toApiError(e));
    }
    setDeleting(null);
    loaded.reload();
  };

  return (
    <Page
      title={creating ? t(replaceId ? 'pat.replaceTitle' : 'pat.newTitle') : t('pat.title')}
      actions={!creating && (
        <Link className="button" to="/tokens/new">
          {t('pat.create')}
        </Link>
      )}
    >
      <p>{t('pat.intro')}</p>
      <ErrorNotice error={error} />
      {creating ? (
        replaceId && loaded.loading ? (
          <Loading />
        ) : (
          <TokenForm
            replacing={replacing}
            onCreated={(created) => void generate(created)}
          />
        )
      ) : (
        <>
          {loaded.loading && <Loading />}
          <ErrorNotice error={loaded.error} />
          {loaded.data !== undefined && tokens.length === 0 && <Empty>{t('pat.empty')}</Empty>}
          {tokens.length > 0 && <TokenTable tokens={tokens} onGenerate={(tk) => void generate(tk)} onDelete={setDeleting} replaceLinks />}
        </>
      )}
      {deleting && (
        <ConfirmDialog title={t('pat.deleteTitle', { name: deleting.name })} confirmLabel={t('common.delete')} onConfirm={() => void remove(deleting)} onCancel={() => setDeleting(null)}>
          <p>{t('pat.deleteText')}</p>
        </ConfirmDialog>
      )}
      {revealed && (
        <SecretReveal
          title={t('pat.revealTitle', { name: revealed.name })}
          label={t('pat.token')}
          secret={revealed.token}
          onDone={() => {
            setRevealed(null);
            // Back to the list once the new token is saved.
            if (creating) navigate('/tokens', { replace: true });
          }}
        />
      )}
    </Page>
  );
}
