import { useEffect, useState } from 'react';
import type { ApplicationJson } from '@latchkey/contract';
import { api, ApiError, enc, toApiError } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate } from '../router.js';
import { Page } from '../components/page.js';
import { ErrorNotice, Loading } from '../components/states.js';

/** The emailed link: reached after logging in or signing up, it joins the team and opens the application. */
export function InvitationPage({ token }: { readonly token: string }) {
  const { t } = useI18n();
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let live = true;
    api<ApplicationJson>('POST', `/invitations/${enc(token)}/accept`, {}).then(
      (joined) => {
        if (live) navigate(`/applications/${enc(joined.acronym)}?joined=1`, { replace: true });
      },
      (e: unknown) => live && setError(toApiError(e)),
    );
    return () => {
      live = false;
    };
  }, [token]);
  return (
    <Page title={t('invitation.title')}>
      {error ? (
        <>
          <ErrorNotice error={error} />
          <p>{t('invitation.failed')}</p>
          <p>
            <Link to="/applications">{t('nav.applications')}</Link>
          </p>
        </>
      ) : (
        <Loading />
      )}
    </Page>
  );
}
