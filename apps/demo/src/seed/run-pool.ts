import { join } from 'node:path';
import { QueueListener } from '@tributary/core';
import type { ListenerSummary } from '@tributary/core';
import { forkProducer } from '@tributary/node-child-process';
import type { ConnectedChild } from '@tributary/node-child-process';
import { fileSink } from '@tributary/sink-file';

/** The seed scenario's size and bound. */
export interface SeedOptions {
  /** Pool size: worker processes alive at once. */
  readonly workers: number;
  readonly tasks: number;
  /** Records a worker logs per task. */
  readonly stepsPerTask: number;
  /** Where `app.log` goes. */
  readonly dir: string;
  /** The whole run (pool, kill, drain, listener.stop()) must end within this, in ms. */
  readonly boundMs: number;
}

/** Defaults of the seed scenario in `npm run demo`. */
export const SEED_DEFAULTS = { workers: 4, tasks: 200, stepsPerTask: 50, boundMs: 60_000 } as const;

/** What the pool run did, as its parent saw it (the file is checked separately). */
export interface PoolRun {
  readonly options: SeedOptions;
  readonly file: string;
  /** Producer ids of every worker started, the replacement included. */
  readonly workerIds: readonly string[];
  readonly victim: string;
  readonly replacement: string;
  /** When the SIGKILL was sent (epoch ms); undefined if the run never got there. */
  readonly killedAtMs: number | undefined;
  /** The victim's last sequence number it told the parent about before the kill. */
  readonly victimLastSeqHeard: number;
  /** Each surviving worker's last sequence number at its last finished task. */
  readonly finalSeq: ReadonlyMap<string, number>;
  /** Log calls the main thread made. */
  readonly mainLogged: number;
  readonly tasksDone: number;
  readonly elapsedMs: number;
  /** The bound was reached before the run ended. */
  readonly timedOut: boolean;
  readonly summary: ListenerSummary;
}

interface PoolWorker {
  readonly id: string;
  readonly connected: ConnectedChild;
  task: number | undefined;
}

/**
 * Python's `multiprocessing.Pool` scenario: `workers` forked processes take tasks and log, the main
 * thread logs too, one listener writes one file. Halfway through, one worker is SIGKILLed in the
 * middle of a task; the pool starts a replacement and gives it the task the victim had.
 */
export async function runPool(options: SeedOptions): Promise<PoolRun> {
  const startedMs = Date.now();
  const file = join(options.dir, 'app.log');
  const listener = new QueueListener({ sinks: [fileSink({ path: file })] });
  const main = listener.logger({ producer: 'main', name: 'pool' });
  let mainLogged = 0;
  const mainLog = (msg: string, fields: Record<string, unknown>): void => {
    main.info(msg, fields);
    mainLogged += 1;
  };
  const script = new URL('./seed-worker.js', import.meta.url);
  const queue = Array.from({ length: options.tasks }, (_, index) => index + 1);
  const workers = new Map<string, PoolWorker>();
  const finalSeq = new Map<string, number>();
  const workerIds: string[] = [];
  const started: ConnectedChild[] = [];
  const victim = 'w2';
  let replacement = '';
  let killedAtMs: number | undefined;
  let victimLastSeqHeard = 0;
  let tasksDone = 0;
  let allDone!: () => void;
  const finished = new Promise<void>((resolve) => {
    allDone = resolve;
  });

  const dispatch = (worker: PoolWorker): void => {
    const task = queue.shift();
    worker.task = task;
    if (task === undefined) return;
    mainLog('task dispatched', { task, worker: worker.id });
    worker.connected.child.send({ task, steps: options.stepsPerTask });
  };
  const start = (): PoolWorker => {
    const id = `w${workerIds.length + 1}`;
    workerIds.push(id);
    const connected = forkProducer(listener, script, [], { producer: id, stdio: ['ignore', 'ignore', 'inherit'] });
    started.push(connected);
    const worker: PoolWorker = { id, connected, task: undefined };
    workers.set(id, worker);
    connected.child.on('message', (message: { started?: number; done?: number; lastSeq?: number }) => {
      if (id === victim && typeof message.lastSeq === 'number') victimLastSeqHeard = message.lastSeq;
      if (id === victim && message.started !== undefined && killedAtMs === undefined && tasksDone >= options.tasks / 2) {
        // Mid-task, for real: the victim has just begun logging this task's records.
        killedAtMs = Date.now();
        connected.child.kill('SIGKILL');
        workers.delete(id);
        queue.unshift(message.started);
        mainLog('worker killed', { worker: id, signal: 'SIGKILL', task: message.started });
        const fresh = start();
        replacement = fresh.id;
        mainLog('replacement started', { worker: fresh.id, replaces: id });
        dispatch(fresh);
        return;
      }
      if (message.done === undefined || !workers.has(id)) return;
      tasksDone += 1;
      if (typeof message.lastSeq === 'number') finalSeq.set(id, message.lastSeq);
      mainLog('task done', { task: message.done, worker: id });
      if (tasksDone === options.tasks) allDone();
      else dispatch(worker);
    });
    return worker;
  };

  const heartbeat = setInterval(() => mainLog('main heartbeat', { tasksDone }), 5);
  for (let index = 0; index < options.workers; index++) dispatch(start());
  mainLog('pool started', { workers: options.workers, tasks: options.tasks });
  let boundTimer: NodeJS.Timeout | undefined;
  const bound = new Promise<'bound'>((resolve) => {
    boundTimer = setTimeout(() => resolve('bound'), Math.max(1, options.boundMs - 10_000));
  });
  const ended = await Promise.race([finished.then(() => 'done' as const), bound]);
  clearInterval(heartbeat);
  mainLog('pool finished', { tasksDone });
  // Ask every live worker to end (each says goodbye after its last records), then wait for all.
  for (const worker of workers.values()) worker.connected.child.send({ end: true });
  // The killed one too: its `exited` settles once the listener has read everything it wrote.
  const allExited = await Promise.race([Promise.all(started.map((connected) => connected.exited)).then(() => true), bound.then(() => false)]);
  if (ended === 'bound' || !allExited) for (const worker of workers.values()) worker.connected.terminate();
  clearTimeout(boundTimer);
  const summary = await listener.stop();
  return {
    options,
    file,
    workerIds,
    victim,
    replacement,
    killedAtMs,
    victimLastSeqHeard,
    finalSeq,
    mainLogged,
    tasksDone,
    elapsedMs: Date.now() - startedMs,
    timedOut: ended === 'bound' || !allExited,
    summary,
  };
}
