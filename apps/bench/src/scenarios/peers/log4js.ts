/**
 * log4js: each worker configures log4js with a `file` appender on the shared file (opened for
 * appending by streamroller, no size limit) and a JSON layout registered with `addLayout`, as
 * log4js's layout docs show; `pid` and `producer` are logger context. Shutdown: `log4js.shutdown(cb)`.
 */
import type { Job, PeerLogger } from './peer.ts';

export async function log4jsPeer(job: Job): Promise<PeerLogger> {
  const log4js = (await import('log4js')).default;
  log4js.addLayout(
    'json',
    () => (event) =>
      JSON.stringify({
        time: event.startTime,
        level: event.level.levelStr,
        msg: event.data[0],
        ...event.context,
        ...(event.data[1] as object),
      }),
  );
  log4js.configure({
    appenders: { file: { type: 'file', filename: job.file, layout: { type: 'json' } } },
    categories: { default: { appenders: ['file'], level: 'info' } },
  });
  const logger = log4js.getLogger();
  logger.addContext('pid', process.pid);
  logger.addContext('producer', job.producer);
  return {
    log: { info: (fields, msg) => logger.info(msg, fields) },
    finish: () => new Promise<void>((resolve, reject) => log4js.shutdown((error) => (error === undefined || error === null ? resolve() : reject(error)))),
  };
}
