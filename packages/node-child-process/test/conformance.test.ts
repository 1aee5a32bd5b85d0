import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'vitest';
import { runAdapterConformance } from '@tributary/core/testing';
import type { AdapterHarness, AdapterProducer } from '@tributary/core/testing';
import { forkProducer } from '@tributary/node-child-process';
import type { DeliveryMode } from '@tributary/node-child-process';

const fixture = fileURLToPath(new URL('./fixtures/conformance-producer.mjs', import.meta.url));

function harness(delivery: DeliveryMode): AdapterHarness {
  const children = new Set<ChildProcess>();
  return {
    start(listener, script, producer): AdapterProducer {
      const connected = forkProducer(listener, fixture, [JSON.stringify(script)], { producer, delivery, execArgv: [], stdio: ['ignore', 'ignore', 'ignore'] });
      const { child } = connected;
      children.add(child);
      const logged = new Promise<void>((resolve) => {
        child.on('message', (message) => {
          if (message === 'logged') resolve();
        });
      });
      const exited = connected.exited.then(() => {});
      return {
        producer,
        connected,
        logged,
        exited,
        go: () => {
          if (child.connected) child.send('go');
        },
        kill: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
      };
    },
    async cleanup() {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

runAdapterConformance({ describe, test }, { name: 'node-child-process, sync', capabilities: { durable: true }, createHarness: () => harness('sync') });
runAdapterConformance({ describe, test }, { name: 'node-child-process, batched', capabilities: { durable: false }, createHarness: () => harness('batched') });
