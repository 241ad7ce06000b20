// A failure the bench explains (a bad setting, a server that did not start, a non-2xx answer): its message
// is printed alone, without a stack, and the bench exits 1.
export class BenchError extends Error {}

/**
 * @param {string} message
 * @returns {never}
 */
export function fail(message) {
  throw new BenchError(message);
}

/** @param {string} message */
export function warn(message) {
  process.stderr.write(`WARNING: ${message}\n`);
}
