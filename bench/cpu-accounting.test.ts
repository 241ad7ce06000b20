import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { coreUse, parseCoreStat, parseCpuList, parseProcessStat, parseRssBytes, processTicks, processTree, readCoreCounters, treeRssBytes, treeTicks } from './cpu-accounting.mjs';

describe('parseProcessStat', () => {
  it('reads utime+stime and cutime+cstime, counting fields from the last parenthesis of the command name', () => {
    const text = '4242 (node (bench) x) S 1 4242 4242 0 -1 4194560 900 0 0 0 1234 56 7 8 20 0 11 0 100 1000 200 18446744073709551615\n';
    expect(parseProcessStat(text)).toEqual({ own: 1290, reaped: 15, total: 1305 });
  });

  it('refuses a line it cannot read', () => {
    expect(() => parseProcessStat('4242 (node) S 1')).toThrow(/field 14/);
  });

  it('reads this very process, whose CPU time only grows', () => {
    const before = processTicks(process.pid);
    const until = Date.now() + 60;
    while (Date.now() < until) {
      // keep a core busy for a few ticks
    }
    expect(processTicks(process.pid).own).toBeGreaterThanOrEqual(before.own);
  });
});

describe('parseCoreStat and coreUse', () => {
  const stat = (user: number, idle: number, steal: number) =>
    `cpu  1 2 3 4 5 6 7 8 0 0\ncpu0 ${user} 10 20 ${idle} 5 1 2 ${steal} 0 0\ncpu1 1 1 1 1 1 1 1 1 0 0\nintr 123\n`;

  it('sums busy (user, nice, system, irq, softirq), idle (with iowait) and steal per core, leaving out the aggregate', () => {
    const cores = parseCoreStat(stat(100, 1000, 3));
    expect([...cores.keys()]).toEqual([0, 1]);
    expect(cores.get(0)).toEqual({ busy: 133, idle: 1005, steal: 3 });
  });

  it('takes the difference between two readings', () => {
    const use = coreUse(parseCoreStat(stat(100, 1000, 3)), parseCoreStat(stat(400, 1600, 13)), 0);
    expect(use).toEqual({ busyTicks: 300, idleTicks: 600, stealTicks: 10, totalTicks: 910 });
    expect(coreUse(new Map(), parseCoreStat(stat(1, 1, 1)), 0)).toBeNull();
  });

  it('reads this machine’s /proc/stat', () => {
    expect(readCoreCounters().size).toBeGreaterThan(0);
  });
});

describe('parseCpuList', () => {
  it('reads ranges and single cores', () => {
    expect([...parseCpuList('0-2,5,7-8\n')]).toEqual([0, 1, 2, 5, 7, 8]);
    expect(() => parseCpuList('x')).toThrow(/not a CPU list/);
  });
});

describe('process trees and memory', () => {
  it('reads VmRSS in bytes', () => {
    expect(parseRssBytes('Name:\tnode\nVmRSS:\t   51200 kB\nThreads:\t7\n')).toBe(51200 * 1024);
    expect(parseRssBytes('Name:\tkthreadd\n')).toBeNull();
  });

  it('finds a child process, and counts its memory and CPU with the parent', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], { stdio: 'ignore' });
    try {
      await new Promise((done) => child.once('spawn', done));
      expect(processTree(process.pid)).toContain(child.pid);
      expect(treeRssBytes(process.pid)).toBeGreaterThan(treeRssBytes(child.pid ?? 0));
      expect(treeTicks(process.pid).own).toBeGreaterThanOrEqual(processTicks(process.pid).own);
    } finally {
      child.kill();
    }
  });
});
