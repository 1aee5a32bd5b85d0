/**
 * CPU time by kind of thread, read from Linux's /proc on Deno or Bun (or Node): the whole process
 * (threads that ended included), the main thread, and the runtime's background compiler threads
 * (Bun: JavaScriptCore's `JITWorker`; Deno: V8's `DefaultWorker` pool, which also collects garbage).
 * Undefined where /proc cannot be read. Lets a report show where the CPU went, not only how long it took.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ThreadCpu {
  /** Seconds of CPU (user + system) of every thread the process ever had. */
  readonly process: number;
  /** Seconds of CPU of the main thread. */
  readonly main: number;
  /** Seconds of CPU of the runtime's background compiler threads still alive. */
  readonly compiler: number;
}

/** Thread names (`/proc/…/comm`, cut at 15 characters) of the runtimes' background compiler threads. */
const COMPILER_THREADS = ['JITWorker', 'V8 DefaultWorke'];

/** CPU seconds in a `/proc/…/stat` line: utime and stime, the 14th and 15th fields, in clock ticks. */
function cpuSeconds(stat: string, ticksPerSecond: number): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** This process's CPU by kind of thread, or undefined off Linux. `pid` is this process's id. */
export function threadCpu(pid: number, ticksPerSecond = 100): ThreadCpu | undefined {
  try {
    const processCpu = cpuSeconds(readFileSync('/proc/self/stat', 'utf8'), ticksPerSecond);
    let main = 0;
    let compiler = 0;
    for (const task of readdirSync('/proc/self/task')) {
      let seconds: number;
      let name: string;
      try {
        seconds = cpuSeconds(readFileSync(`/proc/self/task/${task}/stat`, 'utf8'), ticksPerSecond);
        name = readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim();
      } catch {
        continue; // the thread ended while being read (its CPU stays in the process's total)
      }
      if (task === String(pid)) main = seconds;
      else if (COMPILER_THREADS.includes(name)) compiler += seconds;
    }
    return { process: processCpu, main, compiler };
  } catch {
    return undefined;
  }
}

/** The CPU spent between two readings, or undefined when either is missing. */
export function cpuBetween(before: ThreadCpu | undefined, after: ThreadCpu | undefined): ThreadCpu | undefined {
  if (before === undefined || after === undefined) return undefined;
  return { process: after.process - before.process, main: after.main - before.main, compiler: after.compiler - before.compiler };
}
