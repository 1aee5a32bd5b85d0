/**
 * The loggers `call-cost` measures, each set up the way its users would, writing JSON lines to a
 * file in this process: Tributary (`QueueListener` with `@tributary/sink-file`), pino
 * (`pino.destination(path)`, its default asynchronous SonicBoom) and LogTape (`getFileSink`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { QueueListener, configureContext, withContext } from '@tributary/core';
import { fileSink } from '@tributary/sink-file';

/** Fields every measured call passes, with its own `n`. */
export type CallFields = {
  readonly n: number;
  readonly user: string;
  readonly path: string;
  readonly status: number;
};

/**
 * The request's fields: bound by context, a mixin or a child logger in the rows that have them.
 * Frozen, so that a logger that wrote into it would fail loudly instead of changing later rows.
 */
export const REQUEST_FIELDS = Object.freeze({ requestId: 'r-17', method: 'GET', route: '/api/items' });

/** One logger ready to be measured. */
export interface MeasuredLogger {
  /** The measured call: enabled or disabled, depending on the row. */
  call(fields: CallFields): void;
  /** One enabled record telling how many calls were made (disabled rows: proof the file works). */
  marker(calls: number): void;
  /** Runs `loop` where the row's calls belong: inside a request's context, or as it is. */
  around(loop: () => Promise<void>): Promise<void>;
  /** Flushes and closes: everything logged is in the file when this resolves. */
  end(): Promise<void>;
}

export type CallKind = 'disabled' | 'enabled' | 'context' | 'child';

// Module name in a variable: the bench builds without pino's types being its dependency.
const PINO = 'pino';

interface PinoLogger {
  info(fields: object, msg: string): void;
  debug(fields: object, msg: string): void;
  child(fields: object): PinoLogger;
}
interface PinoDestination {
  once(event: string, callback: () => void): void;
  end(): void;
}
type PinoModule = ((options: object, destination: PinoDestination) => PinoLogger) & {
  destination(path: string): PinoDestination;
};

const passThrough = (loop: () => Promise<void>): Promise<void> => loop();

/**
 * Tributary: one listener with the file sink, `listener.logger({ name: 'bench', level: 'info' })`.
 * Context storage is configured for every row, as in an application that uses it, so the rows
 * outside `withContext` include looking for a context and finding none.
 */
export function tributaryLogger(kind: CallKind, path: string): MeasuredLogger {
  configureContext({ storage: new AsyncLocalStorage() });
  const listener = new QueueListener({ sinks: [fileSink({ path })] });
  const root = listener.logger({ name: 'bench', level: 'info' });
  const log = kind === 'child' ? root.child({ fields: REQUEST_FIELDS }) : root;
  return {
    call: kind === 'disabled' ? (fields) => log.debug('request handled', fields) : (fields) => log.info('request handled', fields),
    marker: (calls) => root.info('calls made', { marker: true, calls }),
    around: kind === 'context' ? (loop) => withContext(REQUEST_FIELDS, loop) : passThrough,
    async end() {
      const summary = await listener.stop();
      if (!summary.complete) throw new Error(`tributary: the listener's summary is not complete: ${JSON.stringify(summary)}`);
    },
  };
}

/**
 * pino: `pino({ name, level: 'info', base: { pid, producer } }, pino.destination(path))`. The
 * context row is what pino users write for request context: a `mixin` returning the request's
 * fields from an `AsyncLocalStorage`; the child row `logger.child(fields)`. The mixin returns a
 * copy (`{ ...als.getStore() }`), not the store itself: pino's default merge
 * (`Object.assign(mixinObject, callFields)`) writes every call's fields into the object the mixin
 * returns, so returning the store would carry one call's fields into the request's later records.
 */
export async function pinoLogger(kind: CallKind, path: string): Promise<MeasuredLogger> {
  const pino = ((await import(PINO)) as { default: PinoModule }).default;
  const destination = pino.destination(path);
  const storage = new AsyncLocalStorage<object>();
  const options = { name: 'bench', level: 'info', base: { pid: process.pid, producer: 'main' } };
  const root = pino(kind === 'context' ? { ...options, mixin: () => ({ ...storage.getStore() }) } : options, destination);
  const log = kind === 'child' ? root.child(REQUEST_FIELDS) : root;
  return {
    call: kind === 'disabled' ? (fields) => log.debug(fields, 'request handled') : (fields) => log.info(fields, 'request handled'),
    marker: (calls) => root.info({ marker: true, calls }, 'calls made'),
    around: kind === 'context' ? (loop) => storage.run(REQUEST_FIELDS, loop) : passThrough,
    end: () =>
      new Promise<void>((resolve) => {
        destination.once('close', resolve);
        destination.end();
      }),
  };
}

/** LogTape (disabled calls only): `getFileSink(path)` with JSON lines, category `bench` at `info`. */
export async function logtapeLogger(path: string): Promise<MeasuredLogger> {
  const { configure, dispose, getJsonLinesFormatter, getLogger } = await import('@logtape/logtape');
  const { getFileSink } = await import('@logtape/file');
  await configure({
    reset: true,
    sinks: { file: getFileSink(path, { formatter: getJsonLinesFormatter({ properties: 'flatten' }) }) },
    loggers: [
      { category: ['bench'], sinks: ['file'], lowestLevel: 'info' },
      { category: ['logtape', 'meta'], sinks: [], lowestLevel: 'warning' },
    ],
  });
  const log = getLogger(['bench']).with({ pid: process.pid, producer: 'main' });
  return {
    call: (fields) => log.debug('request handled', fields),
    marker: (calls) => log.info('calls made', { marker: true, calls }),
    around: passThrough,
    end: dispose,
  };
}
