/**
 * LogTape: each worker configures LogTape with `getFileSink` from `@logtape/file` (the npm package
 * of LogTape's file sink; it opens the file with flag `a`) on the shared file, JSON lines with the
 * properties flattened into each line; `pid` and `producer` come from `logger.with()`. The `logtape`
 * tool uses the sink's defaults; `logtape-nonblocking` passes `nonBlocking: true` (background
 * flushing). Shutdown: `await dispose()`, which flushes and closes the sinks.
 */
import type { Job, PeerLogger } from './peer.ts';

export async function logtapePeer(job: Job, nonBlocking: boolean): Promise<PeerLogger> {
  const { configure, dispose, getJsonLinesFormatter, getLogger } = await import('@logtape/logtape');
  const { getFileSink } = await import('@logtape/file');
  const formatter = getJsonLinesFormatter({ properties: 'flatten' });
  const sink = nonBlocking ? getFileSink(job.file, { formatter, nonBlocking: true }) : getFileSink(job.file, { formatter });
  await configure({
    sinks: { file: sink },
    loggers: [
      { category: ['bench'], sinks: ['file'], lowestLevel: 'info' },
      // LogTape's own messages ("LogTape loggers are configured…") would go to the console otherwise.
      { category: ['logtape', 'meta'], sinks: [], lowestLevel: 'warning' },
    ],
  });
  const logger = getLogger(['bench']).with({ pid: process.pid, producer: job.producer });
  return {
    log: { info: (fields, msg) => logger.info(msg, fields as Record<string, unknown>) },
    finish: dispose,
  };
}
