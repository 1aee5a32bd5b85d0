import type { Logger } from '../logger.ts';

/**
 * What a producer does in an adapter conformance test. The adapter's fixture (code running in the
 * worker, child process…) receives it and runs it with {@link runProducerScript}.
 */
export interface ProducerScript {
  /** Records to log: message `record <n>`, fields `{ n, pad }`, n = 1…records. */
  readonly records: number;
  /** Characters of padding per record (field `pad`). Default: 40. */
  readonly padding?: number;
  /** Characters of one extra record logged after the others (field `big`), 0 for none. Default: 0. */
  readonly bigRecord?: number;
  /** Wait for the harness's `go()` before logging. Default: false. */
  readonly waitForGo?: boolean;
  /**
   * What the producer does once its last log call returned:
   * - `close`: `await` the logger's `close()`/`flush()` as the adapter documents, then end normally;
   * - `exit`: end at once without flushing (`process.exit(0)`, `Deno.exit(0)`, `self.close()`…);
   * - `throw`: throw an uncaught exception without flushing;
   * - `stay`: report `logged` and stay alive until killed.
   */
  readonly then: 'close' | 'exit' | 'throw' | 'stay';
  /**
   * The producer's wait timeout for a full or stalled channel, in milliseconds, passed to the
   * adapter's producer options (`waitTimeout`). Default: the adapter's default.
   */
  readonly waitTimeout?: number;
}

/** What the fixture gives {@link runProducerScript}: the runtime's ways to report and to end. */
export interface ProducerScriptHost {
  /** Tells the harness that every log call returned (a message to the parent, a line on stdout…). */
  report(event: 'logged'): void;
  /** Resolves when the harness called `go()`. */
  waitForGo(): Promise<void>;
  /** Flushes and closes the connected logger (the adapter's documented clean end). */
  close(): Promise<void>;
  /** Ends the producer at once, without flushing. */
  exit(): void;
}

/** Runs a {@link ProducerScript} in a producer with its connected logger. Call it from the fixture. */
export async function runProducerScript(logger: Logger, script: ProducerScript, host: ProducerScriptHost): Promise<void> {
  if (script.waitForGo === true) await host.waitForGo();
  const pad = 'p'.repeat(script.padding ?? 40);
  for (let n = 1; n <= script.records; n++) logger.info(`record ${n}`, { n, pad });
  if ((script.bigRecord ?? 0) > 0) logger.info('big record', { n: script.records + 1, big: bigText(script.bigRecord ?? 0) });
  switch (script.then) {
    case 'close':
      await host.close();
      host.report('logged');
      return;
    case 'exit':
      host.report('logged');
      host.exit();
      return;
    case 'throw':
      host.report('logged');
      throw new Error('adapter conformance: uncaught exception on purpose');
    case 'stay':
      host.report('logged');
      return;
  }
}

/** A string of `length` characters with multi-byte ones spread through it (checks UTF-8 across boundaries). */
export function bigText(length: number): string {
  const unit = 'abcdefghij0123456789ünïcødé🎉"\\ ';
  const text = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  // never end on half of a surrogate pair
  return text.charCodeAt(length - 1) >= 0xd800 && text.charCodeAt(length - 1) <= 0xdbff ? `${text.slice(0, -1)}x` : text;
}
