import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A page: its title becomes the document's, and focus moves to its heading when it opens, so a screen
 * reader or keyboard user starts reading the new page rather than staying on the link they followed.
 */
export function Page({ title, children, actions }: { readonly title: string; readonly children: ReactNode; readonly actions?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Latchkey`;
  }, [title]);
  useEffect(() => {
    heading.current?.focus({ preventScroll: false });
  }, []);
  return (
    <section className="page">
      <div className="page-head">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {actions}
      </div>
      {children}
    </section>
  );
}
