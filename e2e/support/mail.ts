import type { SmtpPeer, ReceivedMail } from '../../packages/server/test/support/smtp-peer.js';

/** A raw message with quoted-printable soft line breaks and escapes undone: enough to read ASCII text and links. */
export function decodedText(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Waits until the SMTP peer has received a message to `to` whose subject is `subject`. */
export async function waitForMail(peer: SmtpPeer, to: string, subject: string, timeoutMs = 10_000): Promise<ReceivedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = peer.received.find((m) => m.to.includes(to) && decodedText(m.raw).includes(`Subject: ${subject}`));
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no mail "${subject}" to ${to}; received: ${peer.received.map((m) => m.to.join(',')).join('; ')}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The address written under a link's label in the text part ("Review ACR:\n<url>"), as a reader would copy it. */
export function linkUnder(mail: ReceivedMail, label: string): string {
  const url = new RegExp(`${label}:\\r?\\n(https?://\\S+)`).exec(decodedText(mail.raw))?.[1];
  if (!url) throw new Error(`no "${label}" link in the mail`);
  return url;
}
