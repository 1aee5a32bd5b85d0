import type { ConnectedProducer } from '../adapter/connected-producer.ts';
import type { QueueListener } from '../queue/listener.ts';
import type { ProducerScript } from './adapter-script.ts';

// What an adapter hands the adapter conformance suite: its harness, its capabilities, the sizes.

/** One running producer, as the adapter's harness started it. */
export interface AdapterProducer {
  /** The producer id its records carry (the one given to `start`). */
  readonly producer: string;
  /**
   * Resolves when the producer reported that its last log call returned (and, for `close`, that
   * its logger closed). For `exit` and `throw` the report may be lost with the producer; the suite
   * waits for `exited` there.
   */
  readonly logged: Promise<void>;
  /** Resolves once the producer is gone, however it ended, and the listener has been told. */
  readonly exited: Promise<void>;
  /** Lets a producer started with `waitForGo` begin logging. */
  go(): void;
  /** Ends the producer at once, the hardest way the runtime has (`worker.terminate()`, SIGKILL). */
  kill(): Promise<void>;
  /** What the adapter returned for this producer; when given, the suite checks its shape and exits. */
  readonly connected?: ConnectedProducer;
}

/** What an adapter supplies to run the suite: a way to start producers wired to a listener. */
export interface AdapterHarness {
  /**
   * Starts one producer (a worker, a child process…) connected to `listener` under the id
   * `producer`; its fixture runs `script` with `runProducerScript` and the adapter's connected logger.
   */
  start(listener: QueueListener, script: ProducerScript, producer: string): Promise<AdapterProducer> | AdapterProducer;
  /** Ends whatever is still running. Default: nothing. */
  cleanup?(): Promise<void>;
}

/** What the adapter's channel can promise; tests of promises it does not make are left out. */
export interface AdapterCapabilities {
  /**
   * A record is safe once its log call returned, even if the producer is killed on the next line
   * (a shared-memory ring, a synchronous pipe write). Enables the kill tests.
   */
  readonly durable: boolean;
  /**
   * Ending right after logging (`exit`, an uncaught exception) loses nothing, large records
   * included. Default: true.
   */
  readonly safeExit?: boolean;
}

/** How to run the adapter conformance suite for one adapter. */
export interface AdapterConformanceOptions {
  /** Names the describe block. */
  readonly name: string;
  /** What the adapter promises. */
  readonly capabilities: AdapterCapabilities;
  /** Makes a fresh harness for each test. */
  createHarness(): Promise<AdapterHarness> | AdapterHarness;
  /** Producers in the many-producers tests. Default: 4. */
  readonly producers?: number;
  /** Records per producer. Default: 5,000. */
  readonly records?: number;
  /**
   * Records per producer (2 producers) in the "tight loop that never yields" test; size it down for
   * a slow adapter rather than leave the test out. Default: 250,000.
   */
  readonly tightLoopRecords?: number;
  /** Characters of the big record logged right before exiting. Default: 1 MiB (1,048,576). */
  readonly bigRecord?: number;
  /** The producers' wait timeout in the "listener gone" test, in milliseconds. Default: 500. */
  readonly waitTimeout?: number;
  /** Per-test timeout in milliseconds. Default: 120,000. */
  readonly timeout?: number;
}
