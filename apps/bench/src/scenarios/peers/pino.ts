/** pino: each worker has its own `pino.transport({ target: 'pino/file' })` appending to the shared file. */
import type { Job, Logged, PeerLogger } from './peer.ts';

// Module name in a variable: the bench builds without pino's types being its dependency.
const PINO = 'pino';

type PinoModule = ((options: object, stream: unknown) => Logged & { flush(callback: () => void): void }) & {
  transport(options: object): { on(event: string, callback: () => void): void; end(): void };
};

export async function pinoPeer(job: Job): Promise<PeerLogger> {
  const pino = ((await import(PINO)) as { default: PinoModule }).default;
  const transport = pino.transport({ target: 'pino/file', options: { destination: job.file, append: true } });
  const logger = pino({ base: { pid: process.pid, producer: job.producer } }, transport);
  return {
    log: logger,
    finish: () =>
      new Promise<void>((resolve) => {
        transport.on('close', resolve);
        logger.flush(() => transport.end());
      }),
  };
}
