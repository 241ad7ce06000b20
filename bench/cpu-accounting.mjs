// CPU time from /proc: what a process spent (all its threads), what each core spent, and which cores a
// process may run on. The parsers take the file's text, so they can be tested without the file.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/**
 * CPU time of one process in clock ticks: `own` is utime+stime (every thread, libuv's pool included),
 * `reaped` is cutime+cstime of the children it waited for.
 * @typedef {{ own: number, reaped: number, total: number }} ProcessTicks
 */

/**
 * Per-core tick counters: busy (user, nice, system, irq, softirq), idle (idle + iowait) and steal (time
 * the hypervisor gave to someone else while this core wanted to run).
 * @typedef {{ busy: number, idle: number, steal: number }} CoreCounters
 */

/**
 * What one core did between two readings, in ticks.
 * @typedef {{ busyTicks: number, idleTicks: number, stealTicks: number, totalTicks: number }} CoreUse
 */

/**
 * Parses /proc/<pid>/stat. The command name (field 2) is in parentheses and may itself hold spaces and
 * parentheses, so the fields are counted from the last ")".
 * @param {string} text
 * @returns {ProcessTicks}
 */
export function parseProcessStat(text) {
  // After "(comm) ", field 3 (state) is index 0, so field n is index n - 3: utime is field 14.
  const fields = text.slice(text.lastIndexOf(')') + 2).trim().split(' ');
  const field = (/** @type {number} */ n) => {
    const value = Number(fields[n - 3]);
    if (!Number.isFinite(value)) throw new Error(`/proc/<pid>/stat: field ${n} is not a number in "${text.trim()}"`);
    return value;
  };
  const own = field(14) + field(15);
  const reaped = field(16) + field(17);
  return { own, reaped, total: own + reaped };
}

/**
 * @param {number} pid
 * @returns {ProcessTicks}
 */
export function processTicks(pid) {
  return parseProcessStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/**
 * Parses /proc/stat into counters per core number (the aggregate "cpu" line is left out).
 * @param {string} text
 * @returns {Map<number, CoreCounters>}
 */
export function parseCoreStat(text) {
  /** @type {Map<number, CoreCounters>} */
  const cores = new Map();
  for (const line of text.split('\n')) {
    const match = /^cpu(\d+)\s+(.+)$/.exec(line);
    if (!match?.[1] || !match[2]) continue;
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = match[2].trim().split(/\s+/).map(Number);
    cores.set(Number(match[1]), { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal });
  }
  return cores;
}

/**
 * Every core's counters now; empty where there is no /proc/stat (not Linux), which turns the noise check off.
 * @returns {Map<number, CoreCounters>}
 */
export function readCoreCounters() {
  try {
    return parseCoreStat(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return new Map();
  }
}

/**
 * What `core` did between two readings; null when either reading lacks it or no tick passed.
 * @param {Map<number, CoreCounters>} before
 * @param {Map<number, CoreCounters>} after
 * @param {number} core
 * @returns {CoreUse | null}
 */
export function coreUse(before, after, core) {
  const a = before.get(core);
  const b = after.get(core);
  if (!a || !b) return null;
  const busyTicks = b.busy - a.busy;
  const idleTicks = b.idle - a.idle;
  const stealTicks = b.steal - a.steal;
  const totalTicks = busyTicks + idleTicks + stealTicks;
  return totalTicks > 0 ? { busyTicks, idleTicks, stealTicks, totalTicks } : null;
}

/**
 * Parses a kernel CPU list ("0-3,6,8-9").
 * @param {string} list
 * @returns {Set<number>}
 */
export function parseCpuList(list) {
  /** @type {Set<number>} */
  const cpus = new Set();
  for (const part of list.trim().split(',')) {
    if (part === '') continue;
    const [first, last] = part.split('-').map(Number);
    if (first === undefined || !Number.isInteger(first)) throw new Error(`not a CPU list: "${list}"`);
    for (let cpu = first; cpu <= (last ?? first); cpu++) cpus.add(cpu);
  }
  return cpus;
}

/**
 * The CPU list a process may run on (`Cpus_allowed_list` in /proc/<pid>/status), or null when unknown.
 * @param {number | 'self'} [pid]
 * @returns {string | null}
 */
export function allowedCpus(pid = 'self') {
  try {
    const match = /^Cpus_allowed_list:\s*(.+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1]?.trim() ?? null;
  } catch {
    return null;
  }
}

/**
 * The kernel's clock ticks per second (`getconf CLK_TCK`), which /proc's counters are in.
 * @param {(message: string) => void} warn
 * @returns {number}
 */
export function clockTicks(warn) {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    if (Number.isInteger(value) && value > 0) return value;
  } catch {
    // fall through to the usual value
  }
  warn('getconf CLK_TCK failed; assuming 100 clock ticks per second');
  return 100;
}

/**
 * The process and its descendants (cluster workers), from /proc/<pid>/task/<tid>/children; just the
 * process where that file is missing.
 * @param {number} pid
 * @returns {number[]}
 */
export function processTree(pid) {
  /** @type {number[]} */
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    const parent = /** @type {number} */ (tree[i]);
    try {
      for (const tid of readdirSync(`/proc/${parent}/task`)) {
        const children = readFileSync(`/proc/${parent}/task/${tid}/children`, 'utf8').trim();
        if (children) tree.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // gone, or no children file: counted as a leaf
    }
  }
  return tree;
}

/**
 * CPU ticks of a process and its living descendants (a worker that exited mid-pass is lost).
 * @param {number} pid
 * @returns {ProcessTicks}
 */
export function treeTicks(pid) {
  const sum = { own: 0, reaped: 0, total: 0 };
  for (const member of processTree(pid)) {
    try {
      const t = processTicks(member);
      sum.own += t.own;
      sum.reaped += t.reaped;
      sum.total += t.total;
    } catch {
      // exited between the listing and the read
    }
  }
  return sum;
}

/**
 * Resident set size in bytes from /proc/<pid>/status text (`VmRSS: <n> kB`); null when absent.
 * @param {string} text
 * @returns {number | null}
 */
export function parseRssBytes(text) {
  const match = /^VmRSS:\s*(\d+)\s*kB$/m.exec(text);
  return match?.[1] ? Number(match[1]) * 1024 : null;
}

/**
 * Resident memory of a process and its descendants, in bytes (shared pages counted in each).
 * @param {number} pid
 * @returns {number}
 */
export function treeRssBytes(pid) {
  let bytes = 0;
  for (const member of processTree(pid)) {
    try {
      bytes += parseRssBytes(readFileSync(`/proc/${member}/status`, 'utf8')) ?? 0;
    } catch {
      // exited between the listing and the read
    }
  }
  return bytes;
}
