/** What `GET /readyz` answers: 200 only when `status` is `ready`. */
export interface Readiness {
  readonly status: 'ready' | 'unavailable' | 'draining';
  /** One entry per dependency, e.g. `{ database: 'ok', redis: 'unreachable', change_feed: 'polling' }`. */
  readonly checks: Readonly<Record<string, string>>;
}

/** What the checks found, with each failure's cause for the log (never sent to the client). */
export interface ReadinessReport extends Readiness {
  readonly failures: Readonly<Record<string, unknown>>;
}

/** A dependency check: resolves to its state when it may serve, rejects when it is unreachable. */
export type ReadinessCheck = () => Promise<string>;

/**
 * Runs every check at once, each bounded by `timeoutMs` (a hung database must not hang the probe). The
 * process is ready when every check resolved.
 */
export async function checkReadiness(checks: Readonly<Record<string, ReadinessCheck>>, timeoutMs: number): Promise<ReadinessReport> {
  const names = Object.keys(checks);
  const outcomes = await Promise.allSettled(names.map((name) => bounded(checks[name] as ReadinessCheck, timeoutMs)));
  const states: Record<string, string> = {};
  const failures: Record<string, unknown> = {};
  outcomes.forEach((outcome, i) => {
    const name = names[i] as string;
    if (outcome.status === 'fulfilled') states[name] = outcome.value;
    else {
      states[name] = 'unreachable';
      failures[name] = outcome.reason;
    }
  });
  return { status: Object.keys(failures).length === 0 ? 'ready' : 'unavailable', checks: states, failures };
}

async function bounded(check: ReadinessCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      check(),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
