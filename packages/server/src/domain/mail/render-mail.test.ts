import { describe, expect, it } from 'vitest';
import { renderMail } from './render-mail.js';

describe('renderMail', () => {
  it('writes the same content as plain text and as simple, escaped HTML', () => {
    const { text, html } = renderMail({
      greeting: 'Hello <Ada> & "friends",',
      paragraphs: ['Grace invited you to BILLING.', 'Line one\nline two'],
      link: { label: 'Accept the invitation', url: 'https://latchkey.example/invitations/a?b=1&c="2"' },
      footer: "You got this because someone typed your address; ignore it if it wasn't meant for you.",
    });
    expect(text).toBe(
      [
        'Hello <Ada> & "friends",',
        'Grace invited you to BILLING.',
        'Line one\nline two',
        'Accept the invitation:\nhttps://latchkey.example/invitations/a?b=1&c="2"',
        "--\nYou got this because someone typed your address; ignore it if it wasn't meant for you.",
      ].join('\n\n'),
    );
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<p>Hello &lt;Ada&gt; &amp; &quot;friends&quot;,</p>');
    expect(html).toContain('<p>Line one<br>line two</p>');
    expect(html).toContain('<a href="https://latchkey.example/invitations/a?b=1&amp;c=&quot;2&quot;" style="color:#0645ad;font-weight:600">Accept the invitation</a>');
    expect(html).toContain('wasn&#39;t meant for you');
    expect(html).not.toMatch(/<(img|table|script)/);
  });

  it('leaves out the parts not given', () => {
    const { text, html } = renderMail({ paragraphs: ['Only this.'] });
    expect(text).toBe('Only this.');
    expect(html).not.toContain('<a ');
    expect(html).not.toContain('<hr');
  });

  it('refuses links that are not http(s), which a mail client would run or mangle', () => {
    expect(() => renderMail({ paragraphs: [], link: { label: 'x', url: 'javascript:alert(1)' } })).toThrow(TypeError);
  });
});
