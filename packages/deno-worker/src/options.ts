/** Options of the ring between a worker and the listener. */
export interface WorkerChannelOptions {
  /** Bytes of the worker's shared-memory ring (rounded up to a power of two). Default: 1 MiB. */
  readonly ringBytes?: number;
  /**
   * How long a log call in the worker may wait for room when the ring is full, in milliseconds,
   * before the record is dropped and counted. Default: the worker's `workerLogger()` option, else 1,000.
   */
  readonly waitTimeout?: number;
  /** How long {@link ConnectedWorker.stop} waits for the worker to finish before terminating it, in ms. Default: 5,000. */
  readonly stopTimeout?: number;
}

/** Options of {@link startWorker}: the channel's options plus the Web Worker's own. */
export interface StartWorkerOptions extends WorkerChannelOptions {
  /** The worker's producer id (also its `self.name`), unique per listener. Default: `deno-1`, `deno-2`, … */
  readonly producer?: string;
  /** Deno's own Worker options (`{ permissions }`), passed as they are. Default: none (inherit). */
  readonly deno?: unknown;
}

/** How a worker ended, as far as the parent can tell (Deno reports no exit code for a worker). */
export interface WorkerExit {
  /**
   * `ended` (the worker closed itself: `self.close()`, `Deno.exit()`, the end of its work, or a
   * `terminate()` the adapter did not make), `terminated` (by {@link ConnectedWorker.stop} or
   * {@link ConnectedWorker.terminate}), `stopped` (it finished when asked), or `uncaught error`.
   */
  readonly reason: 'stopped' | 'terminated' | 'uncaught error' | 'ended';
  /** The error's message, for `uncaught error`. */
  readonly message?: string;
}

/** The parts of a Web Worker the adapter uses (Deno's `Worker` fits). */
export interface WebWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
}

/** A worker wired to a listener. */
export interface ConnectedWorker<W extends WebWorker = Worker> {
  /** The Web Worker. */
  readonly worker: W;
  /** Resolves once the worker has ended and the listener has read everything it left in its ring. */
  readonly exited: Promise<WorkerExit>;
  /**
   * Asks the worker to flush and close its logger and end (`self.close()`), waits up to
   * `stopTimeout`, then terminates it. Resolves with how it ended. Idempotent.
   */
  stop(): Promise<WorkerExit>;
  /** Terminates the worker now; whatever its log calls returned from is still delivered. */
  terminate(): Promise<WorkerExit>;
}
