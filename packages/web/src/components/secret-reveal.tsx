import { useId, useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { CopyButton } from './copy-button.js';
import { Dialog } from './dialog.js';
import { Checkbox } from './field.js';

interface SecretRevealProps {
  readonly title: string;
  /** What the secret is for (e.g. "client secret for ACR in DEV"). */
  readonly label: string;
  readonly secret: string;
  readonly details?: readonly { readonly term: string; readonly value: string }[];
  onDone(): void;
}

/**
 * Shows a secret the server will never show again. Kept only in this component's state (never in browser
 * storage); closes only after the reader says they have saved it.
 */
export function SecretReveal({ title, label, secret, details = [], onDone }: SecretRevealProps) {
  const { t } = useI18n();
  const [saved, setSaved] = useState(false);
  const id = useId();
  return (
    <Dialog title={title} role="alertdialog">
      <p className="notice warning" id={`${id}-warning`}>
        <strong>{t('secret.warningTitle')}</strong> {t('secret.warning')}
      </p>
      {details.length > 0 && (
        <dl className="facts">
          {details.map((d) => (
            <div key={d.term}>
              <dt>{d.term}</dt>
              <dd>
                <code>{d.value}</code>
              </dd>
            </div>
          ))}
        </dl>
      )}
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <div className="inline">
          <input id={id} className="mono secret" readOnly value={secret} aria-describedby={`${id}-warning`} onFocus={(e) => e.target.select()} data-autofocus />
          <CopyButton text={secret} label={t('secret.copy')} />
        </div>
      </div>
      <Checkbox label={t('secret.saved')} checked={saved} onChange={setSaved} />
      <div className="actions">
        <button type="button" disabled={!saved} onClick={onDone}>
          {t('secret.close')}
        </button>
      </div>
    </Dialog>
  );
}
