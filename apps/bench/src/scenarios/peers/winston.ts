/**
 * winston: each worker has its own logger with a `transports.File` appending to the shared file,
 * JSON lines with a time stamp. Shutdown as winston's README documents it ("Awaiting logs to be
 * written"): `logger.end()`, then wait for the logger's `finish` event.
 */
import type { Job, PeerLogger } from './peer.ts';

export async function winstonPeer(job: Job): Promise<PeerLogger> {
  const winston = (await import('winston')).default;
  const logger = winston.createLogger({
    level: 'info',
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    defaultMeta: { pid: process.pid, producer: job.producer },
    transports: [new winston.transports.File({ filename: job.file })],
  });
  return {
    log: { info: (fields, msg) => logger.info(msg, fields) },
    finish: () =>
      new Promise<void>((resolve) => {
        logger.on('finish', () => resolve());
        logger.end();
      }),
  };
}
