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

/** Options of {@link startWorker}: the channel's options plus Bun's own Worker options. */
export interface StartWorkerOptions extends WorkerChannelOptions {
  /** Bun: whether the worker keeps the process alive. Default: true. */
  readonly ref?: boolean;
  /** Bun: run the worker with a smaller heap. Default: false. */
  readonly smol?: boolean;
  /** Bun: the worker's `process.env`. Default: the parent's. */
  readonly env?: Readonly<Record<string, string>>;
  /** Bun: modules loaded before the worker's script. Default: none. */
  readonly preload?: string | readonly string[];
  /** Bun: the worker's `process.argv` additions. Default: none. */
  readonly argv?: readonly unknown[];
  /** The worker's producer id, unique per listener. Default: `bun-<threadId>` (e.g. `bun-1`). */
  readonly producer?: string;
  /**
   * Data for the worker (`workerData` from `node:worker_threads` inside): a plain object, to which
   * the adapter adds its setup under the key `__tributary`. Default: none.
   */
  readonly workerData?: Readonly<Record<string, unknown>>;
}

/** How a worker ended, as far as the parent can tell. */
export interface WorkerExit {
  /**
   * `exited` (`process.exit()`, or the end of its work), `terminated` (by `worker.terminate()`),
   * `stopped` (it finished when {@link ConnectedWorker.stop} asked), or `uncaught error`.
   */
  readonly reason: 'stopped' | 'terminated' | 'uncaught error' | 'exited';
  /** The exit code Bun reported in the worker's `close` event. */
  readonly code?: number;
  /** The error's message, for `uncaught error`. */
  readonly message?: string;
}

/** The parts of a Web Worker the adapter uses (Bun's `Worker` fits). */
export interface WebWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: 'close', listener: (event: { readonly code?: number }) => void): void;
  addEventListener(type: 'error', listener: (event: { readonly message?: string; preventDefault(): void }) => void): void;
}

/** A Bun `Worker`, as {@link startWorker} returns it (cast to Bun's `Worker` for the rest of its API). */
export interface StartedWorker extends WebWorker {
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { readonly code?: number }) => void): void;
  addEventListener(type: 'error', listener: (event: { readonly message?: string; preventDefault(): void }) => void): void;
  /** Lets the worker not keep the process alive. */
  unref(): void;
  /** Makes the worker keep the process alive again. */
  ref(): void;
}

/** A worker wired to a listener. */
export interface ConnectedWorker<W extends WebWorker = StartedWorker> {
  /** The Web Worker. */
  readonly worker: W;
  /** Resolves once the worker has ended and the listener has read everything it left in its ring. */
  readonly exited: Promise<WorkerExit>;
  /**
   * Asks the worker to flush and close its logger and end (`process.exit(0)`), waits up to
   * `stopTimeout`, then terminates it. Resolves with how it ended. Idempotent.
   */
  stop(): Promise<WorkerExit>;
  /** Terminates the worker now; whatever its log calls returned from is still delivered. */
  terminate(): Promise<WorkerExit>;
}
