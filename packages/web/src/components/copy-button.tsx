import { useState } from 'react';
import { useI18n } from '../i18n/i18n.js';

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (an old browser, an insecure origin): copy through a hidden selection.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.append(area);
    area.select();
    const done = document.execCommand('copy');
    area.remove();
    return done;
  }
}

export function CopyButton({ text, label, onCopied }: { readonly text: string; readonly label?: string; onCopied?(): void }) {
  const { t } = useI18n();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <span className="copy">
      <button
        type="button"
        className="secondary"
        onClick={async () => {
          const done = await copyText(text);
          setState(done ? 'copied' : 'failed');
          if (done) onCopied?.();
        }}
      >
        {label ?? t('common.copy')}
      </button>
      <span role="status" aria-live="polite" className="copy-status">
        {state === 'copied' ? t('common.copied') : state === 'failed' ? t('common.copyFailed') : ''}
      </span>
    </span>
  );
}
