import type { ReactNode } from 'react';

/** A wide table scrolls on its own at phone width; keyboard users can focus it to scroll it too. */
export function ScrollArea({ label, children }: { readonly label: string; readonly children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
