import type { Logger } from 'pino';

export interface ProcessEvents {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
  exit(code: number): never;
}

/**
 * What a serving process does with a failure nothing else caught. A rejected promise that nobody awaited
 * is a bug in a background task (a cache reload, a flush), not a reason to stop answering token requests:
 * it is logged and the process serves on. A thrown exception may have left state half-changed: it is
 * logged and the process exits 1, for the supervisor (or the cluster primary) to start a fresh one.
 */
export function installProcessHandlers(log: Pick<Logger, 'error' | 'fatal' | 'flush'>, events: ProcessEvents = process): void {
  events.on('unhandledRejection', (reason) => {
    log.error({ err: reason }, 'unhandled promise rejection (a bug: please report it); still serving');
  });
  events.on('uncaughtException', (error) => {
    log.fatal({ err: error }, 'uncaught exception; exiting');
    log.flush();
    events.exit(1);
  });
}
