import { useEffect, useState } from 'react';
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
    api<{ acronym?: string; application?: { acronym?: string } }>('POST', `/invitations/${enc(token)}/accept`, {}).then(
      (body) => {
        const acronym = body?.acronym ?? body?.application?.acronym;
        if (live) navigate(acronym ? `/applications/${enc(acronym)}?joined=1` : '/applications', { replace: true });
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
