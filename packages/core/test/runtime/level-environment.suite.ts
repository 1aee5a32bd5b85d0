import assert from 'node:assert/strict';
import process from 'node:process';
import { QueueListener } from '@tributary/core';
import { memorySink } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';

const VARIABLES = ['TRIBUTARY_LEVEL', 'LOG_LEVEL'] as const;

/** Runs `body` with the two level variables set as given (undefined: unset), then restores them. */
async function withVariables(values: Partial<Record<(typeof VARIABLES)[number], string>>, body: () => Promise<void> | void): Promise<void> {
  const saved = VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const name of VARIABLES) {
    const value = values[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  try {
    await body();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** What console.error received while `body` ran. */
async function consoleErrors(body: () => Promise<void> | void): Promise<string[]> {
  const lines: string[] = [];
  const original = console.error;
  console.error = (...values: unknown[]) => lines.push(values.map(String).join(' '));
  try {
    await body();
  } finally {
    console.error = original;
  }
  return lines;
}

function newListener(): { listener: QueueListener; levels(): Promise<string[]> } {
  const sink = memorySink();
  const listener = new QueueListener({ sinks: [sink], drainOnExit: false, drainOnSignals: false });
  return {
    listener,
    levels: async () => {
      assert.equal(await listener.flush(), true);
      return sink.lines().map((line) => `${(JSON.parse(line) as { level: string; logger: string }).logger}:${(JSON.parse(line) as { level: string }).level}`);
    },
  };
}

/** Thresholds from the environment, case-insensitive names, and changing a threshold at run time. */
export default function suite(t: TestApi): void {
  t.describe('levels from the environment', () => {
    t.test('precedence: explicit option > TRIBUTARY_LEVEL > LOG_LEVEL > info', async () => {
      const { listener } = newListener();
      await withVariables({}, () => assert.equal(listener.logger().level, 'info'));
      await withVariables({ LOG_LEVEL: 'error' }, () => assert.equal(listener.logger().level, 'error'));
      await withVariables({ LOG_LEVEL: 'error', TRIBUTARY_LEVEL: 'debug' }, () => assert.equal(listener.logger().level, 'debug'));
      await withVariables({ LOG_LEVEL: 'error', TRIBUTARY_LEVEL: 'debug' }, () => assert.equal(listener.logger({ level: 'fatal' }).level, 'fatal'));
      await withVariables({ TRIBUTARY_LEVEL: 'silent' }, () => assert.equal(listener.logger().level, 'silent'));
      await listener.stop();
    });

    t.test('the environment threshold filters records, and a child takes it from its parent', async () => {
      const { listener, levels } = newListener();
      await withVariables({ TRIBUTARY_LEVEL: 'debug' }, () => {
        const logger = listener.logger({ name: 'env' });
        logger.trace('not written');
        logger.debug('written');
        logger.child('child').debug('written too');
      });
      assert.deepEqual(await levels(), ['env:debug', 'env.child:debug']);
      await listener.stop();
    });

    t.test('level names are case-insensitive, and warning means warn', async () => {
      const { listener } = newListener();
      await withVariables({ LOG_LEVEL: 'INFO' }, () => assert.equal(listener.logger().level, 'info'));
      await withVariables({ LOG_LEVEL: 'Warning' }, () => assert.equal(listener.logger().level, 'warn'));
      await withVariables({ TRIBUTARY_LEVEL: ' Debug ' }, () => assert.equal(listener.logger().level, 'debug'));
      assert.equal(listener.logger({ level: 'ERROR' as never }).level, 'error');
      assert.equal(listener.logger({ level: 'WARNING' as never }).child({ level: 'Trace' as never }).level, 'trace');
      await listener.stop();
    });

    t.test('an unknown name in an option throws at configuration time, listing the names', async () => {
      const { listener } = newListener();
      assert.throws(
        () => listener.logger({ level: 'verbose' as never }),
        (error: unknown) =>
          error instanceof TypeError &&
          error.message === `logger level must be one of 'trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent' (in any case); got "verbose"`,
      );
      assert.throws(() => listener.logger().child({ level: 'verbose' as never }), /child logger level must be one of 'trace', .*'silent'/);
      await listener.stop();
    });

    t.test('an unknown name in a variable is ignored with one warning line; the next source applies', async () => {
      const { listener } = newListener();
      const lines = await consoleErrors(() =>
        withVariables({ TRIBUTARY_LEVEL: 'verbose', LOG_LEVEL: 'warn' }, () => {
          assert.equal(listener.logger().level, 'warn');
          assert.equal(listener.logger().level, 'warn'); // the same bad value is not reported twice
        }),
      );
      assert.deepEqual(lines, [
        `tributary: ignoring TRIBUTARY_LEVEL="verbose": not a level; use one of 'trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent' (in any case)`,
      ]);
      const more = await consoleErrors(() => withVariables({ LOG_LEVEL: 'loud' }, () => assert.equal(listener.logger().level, 'info')));
      assert.equal(more.length, 1);
      assert.match(more[0] ?? '', /ignoring LOG_LEVEL="loud"/);
      await listener.stop();
    });
  });

  t.describe('setLevel', () => {
    t.test('changes the logger and the children that did not set their own, made before or after', async () => {
      const { listener, levels } = newListener();
      const root = listener.logger({ name: 'root', level: 'info' });
      const follows = root.child('follows');
      const own = root.child({ name: 'own', level: 'error' });
      const underOwn = own.child('under');
      const deep = follows.child('deep');
      root.setLevel('debug');
      const after = root.child('after');
      for (const logger of [root, follows, own, underOwn, deep, after]) logger.debug('d');
      assert.deepEqual(await levels(), ['root:debug', 'root.follows:debug', 'root.follows.deep:debug', 'root.after:debug']);
      assert.deepEqual(
        [root, follows, own, underOwn, deep, after].map((logger) => logger.level),
        ['debug', 'debug', 'error', 'error', 'debug', 'debug'],
      );
      own.setLevel('trace');
      assert.equal(underOwn.level, 'trace');
      assert.equal(root.level, 'debug');
      await listener.stop();
    });

    t.test('a child that calls setLevel stops following, and its own children follow it', async () => {
      const { listener } = newListener();
      const root = listener.logger({ level: 'info' });
      const child = root.child('child');
      const grandchild = child.child('grandchild');
      child.setLevel('WARN' as never);
      assert.equal(child.level, 'warn');
      assert.equal(grandchild.level, 'warn');
      root.setLevel('trace');
      assert.deepEqual([root.level, child.level, grandchild.level], ['trace', 'warn', 'warn']);
      root.setLevel('silent');
      assert.equal(root.isLevelEnabled('fatal'), false);
      assert.equal(grandchild.isLevelEnabled('warn'), true);
      await listener.stop();
    });

    t.test('a bad level throws a clear error and leaves the threshold as it was', async () => {
      const { listener } = newListener();
      const logger = listener.logger({ level: 'warn' });
      assert.throws(() => logger.setLevel('verbose' as never), /setLevel level must be one of 'trace', .*got "verbose"/);
      assert.equal(logger.level, 'warn');
      await listener.stop();
    });

    t.test('after many short-lived children, setLevel still reaches a child that is kept', async () => {
      const { listener, levels } = newListener();
      const root = listener.logger({ name: 'r', level: 'info' });
      const kept = root.child('kept');
      for (let index = 0; index < 10_000; index++) root.child({ fields: { index } }).trace('never');
      root.setLevel('debug');
      kept.debug('kept follows');
      assert.deepEqual(await levels(), ['r.kept:debug']);
      await listener.stop();
    });
  });
}
