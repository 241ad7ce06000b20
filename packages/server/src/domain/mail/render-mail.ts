/** What a feature says in a message; every part is plain text (escaped for HTML here). */
export interface MailContent {
  /** First line, such as "Hello Ada,". */
  readonly greeting?: string;
  readonly paragraphs: readonly string[];
  /** The one action of the message; `url` must be http(s). */
  readonly link?: { readonly label: string; readonly url: string };
  /** Last line, such as why the recipient got this message. */
  readonly footer?: string;
}

export interface RenderedMail {
  readonly text: string;
  readonly html: string;
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * The plain-text and HTML bodies of a message, from the same content. The HTML is deliberately plain: one
 * column, real paragraphs, a link whose text says where it goes and the address itself written out (for
 * clients that strip links and for copying), no images or tables, so screen readers and text-only clients
 * read it as well as the text part.
 *
 * @example
 * const { text, html } = renderMail({
 *   greeting: 'Hello Ada,',
 *   paragraphs: ['Grace invited you to join BILLING on Latchkey.'],
 *   link: { label: 'Accept the invitation', url: `${issuer}/invitations/${token}` },
 *   footer: 'The link works once and expires in 7 days.',
 * });
 */
export function renderMail(content: MailContent): RenderedMail {
  const { link } = content;
  if (link && !/^https?:\/\//i.test(link.url)) throw new TypeError(`mail links must be http(s) URLs, not ${link.url}`);
  const blocks = [content.greeting, ...content.paragraphs].filter((b): b is string => b !== undefined && b !== '');

  const text = [
    ...blocks,
    ...(link ? [`${link.label}:\n${link.url}`] : []),
    ...(content.footer ? [`--\n${content.footer}`] : []),
  ].join('\n\n');

  const p = (body: string, style = ''): string => `<p${style ? ` style="${style}"` : ''}>${body}</p>`;
  const paragraph = (b: string): string => p(escapeHtml(b).replace(/\r?\n/g, '<br>'));
  const html = [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head>',
    '<body style="margin:0;padding:24px;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;background:#ffffff">',
    '<div style="max-width:36em">',
    ...blocks.map(paragraph),
    ...(link
      ? [
          p(`<a href="${escapeHtml(link.url)}" style="color:#0645ad;font-weight:600">${escapeHtml(link.label)}</a>`),
          p(`Or copy this address into your browser:<br>${escapeHtml(link.url)}`, 'font-size:14px;color:#444444;word-break:break-all'),
        ]
      : []),
    ...(content.footer ? [`<hr style="border:0;border-top:1px solid #cccccc">`, p(escapeHtml(content.footer), 'font-size:14px;color:#444444')] : []),
    '</div>',
    '</body>',
    '</html>',
  ].join('\n');
  return { text, html };
}
