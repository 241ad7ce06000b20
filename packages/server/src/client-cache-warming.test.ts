import { describe, expect, it } from 'vitest';
import type { ClientDirectory } from './domain/clients/client-directory.js';
import { warmClientCache } from './client-cache-warming.js';

type Warm = ClientDirectory['warm'];

function recordingLog() {
  const lines: { level: string; fields: unknown; message: string }[] = [];
  const at = (level: string) => (fields: unknown, message?: string) => void lines.push({ level, fields, message: message ?? '' });
  return { lines, log: { info: at('info'), warn: at('warn') } as never };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('warming the client cache in the background', () => {
  it('is warming until the fill resolves, logs progress and the result, then is warm', async () => {
    let finish = (_added: number) => undefined as void;
    const warm: Warm = (options) => {
      options?.progress?.(500, 1000);
      return new Promise((resolve) => (finish = resolve));
    };
    const { lines, log } = recordingLog();
    const state = warmClientCache({ warm }, log, new AbortController().signal, 0);
    expect(state()).toBe('warming');
    finish(1000);
    await settle();
    expect(state()).toBe('warm');
    expect(lines.map((l) => [l.level, l.message, l.fields])).toEqual([
      ['info', 'warming the client cache', { loaded: 500, total: 1000 }],
      ['info', 'client cache warmed', { clients: 1000, ms: expect.any(Number) }],
    ]);
  });

  it('falls back to reading on demand when the fill fails, warning unless it was stopped', async () => {
    const failing: Warm = () => Promise.reject(new Error('database gone'));
    const first = recordingLog();
    const state = warmClientCache({ warm: failing }, first.log, new AbortController().signal);
    await settle();
    expect(state()).toBe('on_demand');
    expect(first.lines.map((l) => l.level)).toEqual(['warn']);

    const stop = new AbortController();
    stop.abort();
    const second = recordingLog();
    const stopped = warmClientCache({ warm: failing }, second.log, stop.signal);
    await settle();
    expect(stopped()).toBe('on_demand');
    expect(second.lines).toEqual([]);
  });
});
