/**
 * The code that runs inside the workers of the worker conformance suite, written once: each worker
 * adapter's fixture file only hands over its runtime's ways to talk to the parent and to end.
 */
import { configureContext, withContext } from '../context.ts';
import type { ContextStorage } from '../context.ts';
import { LEVEL_NAMES } from '../levels.ts';
import type { Logger } from '../logger.ts';
import { runProducerScript } from './adapter-script.ts';
import type { ProducerScript } from './adapter-script.ts';

/** A worker's runtime, as the fixtures need it. */
export interface WorkerFixtureHost {
  /** Posts a message to the parent. */
  post(message: unknown): void;
  /** Receives the parent's messages (one receiver). */
  onMessage(receiver: (data: unknown) => void): void;
  /** Ends the worker normally (`self.close()`, `process.exit(0)`), at once. */
  end(): void;
  /** Ends the worker with an exit code (`process.exit(code)`, `Deno.exit(code)`), at once. */
  exit(code: number): void;
  /**
   * True when a loop must yield now and then to let `worker.terminate()` stop it (Deno 2.9 cannot
   * stop a worker busy in one synchronous loop, denoland/deno#35657). Default: false.
   */
  readonly yieldInLoops?: boolean;
  /** The worker's own context storage (`new AsyncLocalStorage()`), for the `context` mode. Default: none. */
  readonly contextStorage?: ContextStorage;
}

/** How the exit fixture ends after logging: see {@link runExitFixture}. */
export type ExitFixtureMode = 'end' | 'exit' | 'throw' | 'report' | 'forever' | 'levels' | 'context';

/** The exit code the exit fixture's `exit` mode ends with. */
export const FIXTURE_EXIT_CODE = 7;

/**
 * The exit fixture: says `{ ready: true }`, then on a command `{ mode, records, echo? }` logs
 * `records` records and, in the same synchronous run as the last log call, ends the way `mode`
 * says (`report` posts `{ logged }` and stays; `forever` logs on, posting `{ logged }` every 1,000;
 * `levels` logs one record at each level, trace to fatal, and posts `{ levels: true }`; `context`
 * configures the host's context storage and runs `records` interleaved requests, each logging
 * `context record` three times across awaits inside `withContext({ requestId })`, then posts
 * `{ context: true }`).
 * With `echo`, it also posts every record as a plain message, to compare with postMessage alone.
 */
export function runExitFixture(host: WorkerFixtureHost, logger: Logger): void {
  host.onMessage((data) => {
    const { mode, records, echo = false } = data as { mode: ExitFixtureMode; records: number; echo?: boolean };
    if (mode === 'context') {
      void runContextRequests(host, logger, records);
      return;
    }
    if (mode === 'levels') {
      for (const level of LEVEL_NAMES) logger[level](`at ${level}`);
      return host.post({ levels: true });
    }
    for (let index = 1; index <= records; index++) {
      logger.info('exit test record', { index, mode });
      if (echo) host.post({ echo: index });
    }
    if (mode === 'end') return host.end();
    if (mode === 'exit') return host.exit(FIXTURE_EXIT_CODE);
    if (mode === 'throw') throw new Error('exit-worker: uncaught on purpose');
    if (mode === 'report') return host.post({ logged: records });
    if (mode === 'forever') logForever(host, logger, records + 1);
  });
  host.post({ ready: true });
}

async function runContextRequests(host: WorkerFixtureHost, logger: Logger, requests: number): Promise<void> {
  configureContext({ storage: host.contextStorage });
  const pause = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));
  await Promise.all(
    Array.from({ length: requests }, (_, index) =>
      withContext({ requestId: `w${index}` }, async () => {
        logger.info('context record', { index, step: 1 });
        await pause((index * 3) % 4);
        logger.info('context record', { index, step: 2 });
        await Promise.resolve();
        logger.info('context record', { index, step: 3 });
      }),
    ),
  );
  host.post({ context: true });
}

function logForever(host: WorkerFixtureHost, logger: Logger, first: number): void {
  for (let index = first; ; index++) {
    logger.info('exit test record', { index, mode: 'forever' });
    if (index % 1_000 !== 0) continue;
    host.post({ logged: index });
    if (host.yieldInLoops === true) {
      setTimeout(() => logForever(host, logger, index + 1), 0);
      return;
    }
  }
}

/** The connected logger and its clean end, for {@link runConformanceFixture}. */
export interface ConformanceFixtureLogger {
  /** Makes the worker's connected logger (`workerLogger(options)`). */
  logger(options: { readonly name: string; readonly waitTimeout?: number }): Logger;
  /** Flushes and closes it (`closeWorkerLogger()`). */
  close(): Promise<void>;
}

/**
 * The adapter-conformance fixture: receives `{ script, kill }` (a ProducerScript and a 4-byte
 * kill flag) and `{ go: true }`, runs the script with the connected logger, and posts
 * `{ logged: true }`. After the harness's kill() raised the flag, the next log call ends the worker
 * with exit code 9 (a runtime whose `terminate()` cannot stop a busy loop still stops).
 */
export function runConformanceFixture(host: WorkerFixtureHost, connect: ConformanceFixtureLogger): void {
  let go: () => void = () => {};
  const going = new Promise<void>((resolve) => {
    go = resolve;
  });
  host.onMessage((data) => {
    const message = data as { go?: true; script?: ProducerScript; kill?: SharedArrayBuffer };
    if (message.go === true) return go();
    const { script, kill } = message as { script: ProducerScript; kill: SharedArrayBuffer };
    const flag = new Int32Array(kill);
    const logger = connect.logger({ name: 'conformance', ...(script.waitTimeout === undefined ? {} : { waitTimeout: script.waitTimeout }) });
    const killable = {
      info(msg: string, fields?: Record<string, unknown>) {
        logger.info(msg, fields);
        if (Atomics.load(flag, 0) !== 0) host.exit(9);
      },
    } as Logger;
    void runProducerScript(killable, script, {
      report: () => host.post({ logged: true }),
      waitForGo: () => going,
      close: () => connect.close(),
      exit: () => host.exit(0),
    }).then(() => {
      // A worker with a message handler stays alive: `close` ends it the documented way.
      if (script.then === 'close') host.end();
    });
  });
}
