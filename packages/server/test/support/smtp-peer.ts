import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: string;
}

export interface SmtpPeer {
  /** `smtp://user:pass@127.0.0.1:<port>` (credentials when the peer requires them). */
  readonly url: string;
  readonly received: ReceivedMail[];
  /** RCPT TO commands seen, accepted or not. */
  readonly attempts: number;
  close(): Promise<void>;
}

export interface SmtpPeerOptions {
  /** Require AUTH PLAIN/LOGIN with these credentials. */
  readonly auth?: { readonly user: string; readonly pass: string };
  /** Answer RCPT TO number `n` (1-based) with this SMTP reply instead of accepting, e.g. `{ code: 451, message: 'try later' }`. */
  readonly refuse?: (n: number) => { code: number; message: string } | null;
}

/** A real SMTP server on loopback (plain, no STARTTLS) that keeps what it receives. */
export async function startSmtpPeer(options: SmtpPeerOptions = {}): Promise<SmtpPeer> {
  const received: ReceivedMail[] = [];
  let attempts = 0;
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS', ...(options.auth ? [] : ['AUTH'])],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === options.auth?.user && auth.password === options.auth?.pass) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('invalid credentials'), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      const refusal = options.refuse?.(++attempts) ?? null;
      callback(refusal ? Object.assign(new Error(refusal.message), { responseCode: refusal.code }) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        received.push({ from: from ? from.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  const credentials = options.auth ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@` : '';
  return {
    url: `smtp://${credentials}127.0.0.1:${port}`,
    received,
    get attempts() {
      return attempts;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
