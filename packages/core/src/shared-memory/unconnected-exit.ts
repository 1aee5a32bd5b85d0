import { onProcessExit, reportToConsole } from '../internal/host.ts';
import type { DeferredProducerEndpoint } from './deferred-endpoint.ts';

/**
 * Until `stop()` is called (the worker got its ring), watches for the thread's end (the process exit
 * hook, and `onThreadEnd` where the adapter has one): a worker whose logger was never connected then
 * writes every record it kept to standard error, one JSON line each, followed by one `warn` line with
 * the count, so no record vanishes unseen. Returns `stop`.
 */
export function spillToStderrAtExit(
  deferred: DeferredProducerEndpoint,
  producer: string,
  onThreadEnd?: (hook: () => void) => () => void,
  write: (line: string) => void = reportToConsole,
): () => void {
  let spilled = false;
  const spill = (): void => {
    if (deferred.connected || spilled) return;
    spilled = true;
    const lines = deferred.takeLines();
    const dropped = deferred.droppedWhileWaiting;
    if (lines.length === 0 && dropped === 0) return;
    for (const line of lines) write(line);
    write(unconnectedNote(producer, lines.length, dropped));
  };
  const removers = [onProcessExit(spill), onThreadEnd?.(spill) ?? (() => {})];
  return () => {
    for (const remove of removers) remove();
  };
}

/** The closing note: how many records went to standard error and how many the buffer had dropped. */
function unconnectedNote(producer: string, written: number, dropped: number): string {
  const droppedText = dropped === 0 ? '' : `; ${dropped} records dropped earlier, the buffer being full`;
  return JSON.stringify({
    time: new Date().toISOString(),
    level: 'warn',
    msg: `tributary: this worker's logger was never connected to a listener; ${written} records written to stderr instead${droppedText}`,
    logger: 'tributary',
    producer,
    writtenToStderr: written,
    dropped,
  });
}
