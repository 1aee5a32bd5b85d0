import assert from 'node:assert/strict';
import { QueueListener } from '@tributary/core';
import type { TestApi } from '@tributary/core/testing';
import { prettyFormatter } from '@tributary/pretty';
import { stdoutSink } from '@tributary/sink-stdout';
import { RAW_CONTROL, entryOf, logged, loggedOne } from './logged.ts';

const plain = prettyFormatter({ colors: false });
/** A stack frame line as the formatter prints it under an error at `indent`. */
const FRAME = /^ +at /;

/** prettyFormatter: layout, errors, escaping and the colour decision. */
export default function suite(t: TestApi): void {
  t.describe('prettyFormatter', () => {
    t.test('one header line with time, level, producer, logger and message; fields indented below', () => {
      const entry = entryOf({
        level: 'warn',
        msg: 'slow query',
        logger: 'app.db',
        producer: 'w3',
        ms: 812,
        sql: 'select 1',
        ok: true,
        none: null,
        tags: ['a', 'b'],
      });
      assert.equal(
        plain(entry),
        ['23:20:50.123 WARN  [w3] app.db: slow query', '  ms: 812', '  sql: "select 1"', '  ok: true', '  none: null', '  tags: ["a","b"]'].join('\n'),
      );
    });

    t.test('nested objects and arrays of objects become nested fields; empty ones stay on the line', () => {
      const entry = entryOf({ user: { id: 1, roles: [{ name: 'admin' }] }, empty: {}, list: [] });
      assert.deepEqual(plain(entry).split('\n'), [
        '23:20:50.123 INFO  [main] app: m',
        '  user:',
        '    id: 1',
        '    roles:',
        '      [0]:',
        '        name: "admin"',
        '  empty: {}',
        '  list: []',
      ]);
    });

    t.test('no logger and no message: the header leaves them out', () => {
      assert.equal(plain(entryOf({ logger: '', msg: '' })), '23:20:50.123 INFO  [main]');
    });

    t.test('a record from elsewhere without time or producer leaves them out; odd types print as JSON', () => {
      const entry = { line: '', level: 'error' as const, record: { level: 'error', msg: 42, logger: ['x'], extra: 1 } as never };
      assert.equal(plain(entry), ['ERROR ["x"]: 42', '  extra: 1'].join('\n'));
    });

    t.test('time styles: UTC time of day, ISO, local time of day, or a function', () => {
      const entry = entryOf({});
      assert.match(prettyFormatter({ colors: false, time: 'iso' })(entry), /^2026-11-26T23:20:50\.123Z INFO /);
      const local = new Date('2026-11-26T23:20:50.123Z');
      const two = (n: number): string => String(n).padStart(2, '0');
      const expected = `${two(local.getHours())}:${two(local.getMinutes())}:${two(local.getSeconds())}.123`;
      assert.ok(prettyFormatter({ colors: false, time: 'local' })(entry).startsWith(`${expected} INFO `));
      const custom = prettyFormatter({ colors: false, time: (iso) => `<${iso.slice(0, 4)}\n>` })(entry);
      assert.ok(custom.startsWith('<2026\\n> INFO '), custom);
    });

    t.test('an error logged through a listener: its stack as real lines, its cause nested under it', async () => {
      const error = new Error('boom', { cause: new TypeError('root cause') });
      const entry = await loggedOne((log) => log.error(error));
      const lines = plain(entry).split('\n');
      assert.match(lines[0] as string, /^\d\d:\d\d:\d\d\.\d{3} ERROR \[main\] app: boom$/);
      assert.equal(lines[1], '  err: Error: boom');
      const frames = (error.stack ?? '').split('\n').filter((line) => line.trim().startsWith('at ')).length;
      assert.ok(frames > 0, 'the runtime gave the error a stack');
      let index = 2;
      for (let frame = 0; frame < frames; frame++, index++) assert.match(lines[index] as string, /^ {6}at /, `stack frame ${frame}`);
      assert.equal(lines[index], '    cause: TypeError: root cause');
      index++;
      while (index < lines.length && FRAME.test(lines[index] as string)) {
        assert.match(lines[index] as string, /^ {8}at /);
        index++;
      }
      assert.equal(index, lines.length, `nothing after the cause's stack: ${JSON.stringify(lines.slice(index))}`);
    });

    t.test('an AggregateError: every member under it, each with its own stack and cause; own fields too', async () => {
      const members = [new Error('first'), new RangeError('second', { cause: 'a plain cause' })];
      const aggregate = Object.assign(new AggregateError(members, 'all failed'), { code: 'E_ALL' });
      const entry = await loggedOne((log) => log.error('batch failed', { err: aggregate, attempt: 2 }));
      const lines = plain(entry).split('\n');
      const withoutFrames = lines.filter((line) => !FRAME.test(line));
      assert.deepEqual(withoutFrames, [
        withoutFrames[0],
        '  err: AggregateError: all failed',
        '    errors:',
        '      [0]: Error: first',
        '      [1]: RangeError: second',
        '        cause: "a plain cause"',
        '    code: "E_ALL"',
        '  attempt: 2',
      ]);
      const firstAt = lines.indexOf('      [0]: Error: first');
      assert.match(lines[firstAt + 1] as string, /^ {10}at /, "the member's stack is under it");
    });

    t.test("a circular cause shows the encoder's marker instead of looping", async () => {
      const error = new Error('loop');
      (error as { cause?: unknown }).cause = error;
      const text = plain(await loggedOne((log) => log.error(error)));
      assert.ok(text.split('\n').includes('    cause: "[Circular]"'), text);
    });

    t.test('hostile message, logger, field keys, values and stack text never forge a line or reach the terminal raw', async () => {
      const hostile = 'one\n12:00:00.000 FATAL [main] app: forged\r\u001b[2J\u001b]0;title\u0007\u009b31m\u2028\u2029\u0085 end';
      const error = new Error(hostile);
      error.stack = `Error: ${hostile}\n    at real (file.js:1:1)\n12:00:00.000 FATAL [main] forged too\u001b[1A\r\n\u2028    at next (file.js:2:2)`;
      const entries = await logged((log) => {
        log.child({ name: 'x\ny' }).warn(hostile, { [`k\n${hostile}`]: hostile, nested: { [`\u001b[2J`]: [hostile] } });
        log.error(error);
      });
      for (const colors of [false, true]) {
        const format = prettyFormatter({ colors });
        for (const entry of entries) {
          const text = format(entry);
          const lines = text.split('\n');
          assert.match(lines[0] as string, /^(\u001b\[90m)?\d\d:\d\d:\d\d\.\d{3}/, 'the first line is the header');
          for (const line of lines.slice(1)) assert.match(line, /^ {2}/, `a continuation line is indented: ${JSON.stringify(line)}`);
          // Outside the formatter's own SGR sequences, no control character is left raw.
          const withoutPalette = text.replace(/\u001b\[[0-9;]*m/g, '');
          assert.equal(RAW_CONTROL.test(withoutPalette), false, JSON.stringify(withoutPalette));
          assert.ok(withoutPalette.includes('\\x1b[2J'), 'the hostile escape is shown escaped');
          if (!colors) assert.equal(text.includes('\u001b'), false);
        }
      }
      const warn = plain(entries[0] as (typeof entries)[number]).split('\n');
      assert.equal(warn.length, 4, 'header, the hostile key, nested and its one key');
      assert.ok((warn[0] as string).includes('[main] app.x\\ny: one\\n12:00:00.000 FATAL'));
      const stackLines = plain(entries[1] as (typeof entries)[number]).split('\n');
      assert.ok((stackLines[1] as string).startsWith('  err: Error: one\\n12:00:00.000 FATAL [main] app: forged\\r\\x1b[2J'), stackLines[1]);
      assert.deepEqual(stackLines.slice(2), [
        '      at real (file.js:1:1)',
        '      12:00:00.000 FATAL [main] forged too\\x1b[1A',
        '      \\u2028    at next (file.js:2:2)',
      ]);
    });

    t.test('colours: auto follows the terminal, NO_COLOR, FORCE_COLOR and TERM=dumb; explicit settings win', () => {
      const colors = (isTTY: boolean, env: Record<string, string>, setting?: boolean): boolean =>
        prettyFormatter({ isTTY, env, ...(setting === undefined ? {} : { colors: setting }) }).colors;
      assert.equal(colors(true, {}), true);
      assert.equal(colors(false, {}), false);
      assert.equal(colors(true, { NO_COLOR: '1' }), false);
      assert.equal(colors(true, { NO_COLOR: '' }), true);
      assert.equal(colors(false, { FORCE_COLOR: '1' }), true);
      assert.equal(colors(true, { FORCE_COLOR: '0' }), false);
      assert.equal(colors(true, { FORCE_COLOR: '', NO_COLOR: '1' }), true);
      assert.equal(colors(true, { TERM: 'dumb' }), false);
      assert.equal(colors(false, {}, true), true);
      assert.equal(colors(true, { FORCE_COLOR: '1' }, false), false);
      const coloured = prettyFormatter({ colors: true })(entryOf({ level: 'error', n: 1 }));
      assert.ok(coloured.includes('\u001b['), 'colours are written when on');
      assert.equal(coloured.replace(/\u001b\[[0-9;]*m/g, ''), plain(entryOf({ level: 'error', n: 1 })), 'colours add nothing but SGR sequences');
    });

    t.test('renderField: your function renders a field, its text escaped; undefined keeps the default', () => {
      const format = prettyFormatter({ colors: false, renderField: (key, value) => (key === 'ms' ? `${String(value)} ms\nlate` : undefined) });
      assert.equal(format(entryOf({ ms: 5, other: 1 })), ['23:20:50.123 INFO  [main] app: m', '  ms: 5 ms\\nlate', '  other: 1'].join('\n'));
    });

    t.test('a renderField that throws: the stdout sink writes that record as its JSON line and counts it', async () => {
      const chunks: string[] = [];
      const decoder = new TextDecoder();
      const destination = {
        isTTY: false,
        writeSome(data: Uint8Array, offset: number): number {
          chunks.push(decoder.decode(data.subarray(offset)));
          return data.length - offset;
        },
      };
      const format = prettyFormatter({
        colors: false,
        renderField: (key) => {
          if (key === 'bad') throw new Error('renderField failed');
          return undefined;
        },
      });
      const sink = stdoutSink({ destination, format });
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
      const log = listener.logger({ name: 'app', producer: 'main' });
      log.info('fine', { good: 1 });
      log.info('not fine', { bad: 1 });
      await listener.stop();
      const out = chunks.join('').split('\n');
      assert.match(out[0] as string, /^\d\d:\d\d:\d\d\.\d{3} INFO {2}\[main\] app: fine$/);
      assert.equal(out[1], '  good: 1');
      assert.equal(JSON.parse(out[2] as string).msg, 'not fine');
      assert.equal(sink.stats.formatErrors, 1);
    });

    t.test('bad options: a clear error when the formatter is made', () => {
      assert.throws(() => prettyFormatter({ colors: 'yes' as never }), {
        name: 'RangeError',
        message: 'prettyFormatter: colors must be one of "auto", true, false; got "yes"',
      });
      assert.throws(() => prettyFormatter({ time: 'utc' as never }), {
        name: 'RangeError',
        message: /^prettyFormatter: time must be one of "time", "local", "iso"; got "utc"$/,
      });
      assert.throws(() => prettyFormatter({ renderField: 1 as never }), { name: 'TypeError', message: /^prettyFormatter: renderField must be a function/ });
      assert.throws(() => prettyFormatter({ isTTY: 'no' as never }), { name: 'TypeError', message: /^prettyFormatter: isTTY must be true or false/ });
      assert.throws(() => prettyFormatter({ env: 'x' as never }), { name: 'TypeError', message: /^prettyFormatter: env must be an object/ });
    });

    t.test('plugged into stdoutSink: function options run in the listener, each record is its own block', async () => {
      const chunks: string[] = [];
      const decoder = new TextDecoder();
      const destination = {
        isTTY: false,
        writeSome(data: Uint8Array, offset: number): number {
          chunks.push(decoder.decode(data.subarray(offset)));
          return data.length - offset;
        },
      };
      const seen: string[] = [];
      const format = prettyFormatter({
        colors: false,
        renderField: (key) => {
          seen.push(key);
          return undefined;
        },
      });
      const sink = stdoutSink({ destination, format });
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
      const log = listener.logger({ name: 'app', producer: 'main' });
      log.info('started', { port: 8080 });
      log.warn('second');
      await listener.stop();
      const out = chunks.join('').split('\n');
      assert.equal(out.pop(), '', 'the output ends with a newline');
      assert.deepEqual(
        out.map((line) => line.replace(/^\d\d:\d\d:\d\d\.\d{3}/, 'T')),
        ['T INFO  [main] app: started', '  port: 8080', 'T WARN  [main] app: second'],
      );
      assert.deepEqual(seen, ['port']);
      assert.equal(sink.stats.formatErrors, 0);
    });
  });
}
