import { useEffect, useId, useRef, type ReactNode } from 'react';

interface DialogProps {
  readonly title: string;
  readonly children: ReactNode;
  /** Called when the dialog asks to close (Escape, a close button); omit to forbid closing with Escape. */
  onCancel?(): void;
  readonly role?: 'dialog' | 'alertdialog';
}

/**
 * A modal dialog on the native <dialog> element: focus moves into it on open, stays inside while open
 * (the rest of the page is inert), and returns to the element that opened it when it closes.
 */
export function Dialog({ title, children, onCancel, role = 'dialog' }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    const first = dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector<HTMLElement>('input, button, textarea, select, a[href]');
    first?.focus();
    return () => {
      dialog.close();
      // The opener may be gone (the dialog's action re-rendered the page): fall back to the page heading.
      if (opener?.isConnected) opener.focus();
      else document.querySelector<HTMLElement>('main h1')?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      role={role}
      aria-labelledby={titleId}
      aria-modal="true"
      onCancel={(event) => {
        event.preventDefault();
        onCancel?.();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
