import assert from 'node:assert/strict';
import process from 'node:process';
import { currentPid, newTextDecoder, newTextEncoder, onProcessExit, onSignal, readEnvironment, runtime } from '@tributary/core/adapter';
import { waitFor } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';

/** The one host module: the runtime key, pid, environment, text codec, and exit and signal hooks, on each runtime. */
export default function suite(t: TestApi): void {
  t.describe('the host module', () => {
    t.test('the runtime key names the runtime this runs on', () => {
      const expected = 'Deno' in globalThis ? 'deno' : 'Bun' in globalThis ? 'bun' : 'node';
      assert.equal(runtime, expected);
    });

    t.test('currentPid is the process id', () => {
      assert.equal(currentPid(), process.pid);
    });

    t.test('readEnvironment reads a variable, and undefined for one that is not set', () => {
      process.env['TRIBUTARY_HOST_TEST'] = 'set';
      assert.equal(readEnvironment('TRIBUTARY_HOST_TEST'), 'set');
      assert.equal(readEnvironment('TRIBUTARY_HOST_TEST_NOT_SET'), undefined);
    });

    t.test('the text codec round-trips UTF-8', () => {
      const bytes = newTextEncoder().encode('ünï 🎉');
      assert.equal(bytes.length, 10);
      assert.equal(newTextDecoder().decode(bytes), 'ünï 🎉');
    });

    t.test('onSignal calls its handler on a real signal; the remover takes it off', async () => {
      const calls = { first: 0, second: 0 };
      const removeFirst = onSignal('SIGUSR2', () => (calls.first += 1));
      const removeSecond = onSignal('SIGUSR2', () => (calls.second += 1));
      try {
        process.kill(process.pid, 'SIGUSR2');
        await waitFor(() => calls.first === 1 && calls.second === 1, 'both handlers to run');
        removeFirst();
        process.kill(process.pid, 'SIGUSR2');
        await waitFor(() => calls.second === 2, 'the remaining handler to run');
        assert.equal(calls.first, 1);
      } finally {
        removeFirst();
        removeSecond();
      }
    });

    t.test('onSignal and onProcessExit never throw; their removers can be called twice', () => {
      const removeSignal = onSignal('SIGNOTASIGNAL', () => {});
      removeSignal();
      removeSignal();
      const removeExit = onProcessExit(() => {
        throw new Error('must not run: removed');
      });
      removeExit();
      removeExit();
    });
  });
}
