import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { installProcessHandlers, type ProcessEvents } from './process-handlers.js';

function harness(): { events: EventEmitter & ProcessEvents; lines: { level: number; msg: string; err?: { message: string } }[]; exits: number[] } {
  const lines: { level: number; msg: string; err?: { message: string } }[] = [];
  const exits: number[] = [];
  const events = Object.assign(new EventEmitter(), {
    exit: (code: number): never => {
      exits.push(code);
      return undefined as never;
    },
  });
  installProcessHandlers(pino({}, { write: (line: string) => lines.push(JSON.parse(line) as (typeof lines)[number]) }), events);
  return { events, lines, exits };
}

describe('failures nothing else caught', () => {
  it('logs an unhandled rejection with its cause and keeps serving', () => {
    const { events, lines, exits } = harness();
    events.emit('unhandledRejection', new Error('connection terminated unexpectedly'));
    expect(lines).toEqual([expect.objectContaining({ level: 50, msg: expect.stringContaining('unhandled promise rejection'), err: expect.objectContaining({ message: 'connection terminated unexpectedly' }) })]);
    expect(exits).toEqual([]);
  });

  it('logs an uncaught exception and exits 1', () => {
    const { events, lines, exits } = harness();
    events.emit('uncaughtException', new Error('boom'));
    expect(lines).toEqual([expect.objectContaining({ level: 60, msg: 'uncaught exception; exiting' })]);
    expect(exits).toEqual([1]);
  });
});
