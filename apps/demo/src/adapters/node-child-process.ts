import { forkProducer } from '@tributary/node-child-process';
import type { DemoAdapter } from '../types.ts';
import { runProducers } from './run-producers.ts';

/**
 * Forked Node processes writing over a dedicated pipe (`c1`, `c2`, …). Batched delivery normally; in
 * chaos mode synchronous delivery, so a SIGKILL loses nothing a log call returned from.
 */
export const nodeChildProcessAdapter: DemoAdapter = {
  name: 'node-child-process',
  runtime: 'node',
  run(listener, spec, progress) {
    const script = new URL('../producers/child-producer.js', import.meta.url);
    return runProducers(spec, 'c', progress, (id, records, onProgress) => {
      const { child } = forkProducer(listener, script, [String(records)], {
        producer: id,
        delivery: spec.chaos ? 'sync' : 'batched',
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      child.on('message', (message: { logged?: number }) => {
        if (typeof message?.logged === 'number') onProgress(message.logged);
      });
      const done = new Promise<void>((resolve) => child.once('close', () => resolve()));
      return { done, kill: () => void child.kill('SIGKILL') };
    });
  },
};
