import { isMainThread } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { cpuBetween, threadCpu } from '../src/scenarios/thread-cpu.ts';

describe('threadCpu', () => {
  it.runIf(process.platform === 'linux')("counts the CPU this thread spends in the process's (and the main thread's, when it is the main thread)", () => {
    const before = threadCpu(process.pid);
    const start = process.cpuUsage();
    // Busy until the kernel has charged at least 200 ms of CPU to this process (ticks are 10 ms).
    for (let spent = 0; spent < 200_000; ) {
      const used = process.cpuUsage(start);
      spent = used.user + used.system;
    }
    const spent = cpuBetween(before, threadCpu(process.pid));
    expect(spent).toBeDefined();
    expect(spent?.process).toBeGreaterThanOrEqual(0.1);
    // The process is read a moment before its threads: allow the main thread a few more ticks.
    expect(spent?.process).toBeGreaterThanOrEqual((spent?.main ?? Infinity) - 0.05);
    if (isMainThread) expect(spent?.main).toBeGreaterThanOrEqual(0.1);
    expect(spent?.compiler).toBeGreaterThanOrEqual(0);
  });

  it('cpuBetween is undefined when a reading is missing', () => {
    expect(cpuBetween(undefined, { process: 1, main: 1, compiler: 0 })).toBeUndefined();
  });
});
