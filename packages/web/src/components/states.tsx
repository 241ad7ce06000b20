import type { ReactNode } from 'react';
import type { ApiError } from '../api.js';
import { useI18n } from '../i18n/i18n.js';

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="muted" role="status" aria-live="polite">
      {t('common.loading')}
    </p>
  );
}

/** The API's own message (problem+json detail), with the fields it names. */
export function ErrorNotice({ error }: { readonly error: ApiError | null }) {
  const { t } = useI18n();
  if (!error) return null;
  const message = error.status === 0 ? t('error.network') : error.message;
  return (
    <div className="notice error" role="alert">
      <p>{message}</p>
      {error.fields.length > 0 && (
        <ul>
          {error.fields.map((f) => (
            <li key={f.field + f.message}>{f.field ? `${f.field}: ${f.message}` : f.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Empty({ children }: { readonly children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function Notice({ kind = 'info', children }: { readonly kind?: 'info' | 'success' | 'warning'; readonly children: ReactNode }) {
  return (
    <div className={`notice ${kind}`} role={kind === 'success' ? 'status' : undefined}>
      {children}
    </div>
  );
}
