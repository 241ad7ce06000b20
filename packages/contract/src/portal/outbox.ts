import { Type, type Static } from 'typebox';

export const MailStatusJson = Type.Union([Type.Literal('queued'), Type.Literal('sent'), Type.Literal('logged'), Type.Literal('failed')], {
  description: 'queued: waiting or retrying; sent: accepted by the SMTP server; logged: no SMTP server configured, written to the log; failed: gave up',
});
export type MailStatusJson = Static<typeof MailStatusJson>;

export const OutboxMessageJson = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: 'what the message is about, such as invitation or application.approved' }),
  to: Type.String(),
  subject: Type.String(),
  text: Type.String({ description: 'the plain-text body' }),
  status: MailStatusJson,
  attempts: Type.Integer(),
  last_error: Type.Union([Type.String(), Type.Null()], { description: 'why the last attempt failed' }),
  next_attempt_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'while queued: when it is tried next' }),
  created_at: Type.String({ format: 'date-time' }),
  sent_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
}, { title: 'OutboxMessage' });
export type OutboxMessageJson = Static<typeof OutboxMessageJson>;
