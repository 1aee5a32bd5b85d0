import assert from 'node:assert/strict';
import { jsonLinesFormatter, textFormatter } from '@tributary/core';
import { RecordEncoder, entryFromLine } from '@tributary/core/adapter';
import type { LevelName, LogEntry } from '@tributary/core';
import type { TestApi } from '@tributary/core/testing';

const TIME = Date.UTC(2026, 10, 26, 23, 20, 50, 123);

function entry(msg: string, fields?: unknown, logger = 'app.db', level: LevelName = 'info', producer = 'main'): LogEntry {
  const encoder = new RecordEncoder({ producer, pid: 1 });
  return entryFromLine(encoder.encode(level, msg, encoder.quoteName(logger), 12, '', fields, TIME));
}

/** Everything that must never reach a terminal raw from user data. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const HOSTILE = [
  'line\nbreak',
  'carriage\rreturn',
  'crlf\r\nforged 2026-11-26T00:00:00.000Z FATAL main#1 root: fake',
  'esc \u001b[31mred\u001b[0m',
  'clear \u001b[2J\u001b[H',
  'osc \u001b]0;title\u0007',
  '8-bit csi \u009b31m',
  'nul \u0000 bell \u0007 backspace \u0008 del \u007f',
  'separators \u2028 and \u2029 and nel \u0085',
  'tab\there',
];

/** The text formatter prints every record as one inert line, whatever the user data holds. */
export default function suite(t: TestApi): void {
  t.describe('text formatter', () => {
    t.test('layout: time, level, producer#seq, logger: message, key=value', () => {
      const text = textFormatter()(entry('connected', { host: 'db1', port: 5432, tls: true, tags: ['a', 'b'] }));
      assert.equal(text, '2026-11-26T23:20:50.123Z INFO  main#12 app.db: connected host=db1 port=5432 tls=true tags=["a","b"]');
    });

    t.test('showProducer: false leaves out producer#seq; an empty logger name is left out', () => {
      const text = textFormatter({ showProducer: false })(entry('hi', undefined, ''));
      assert.equal(text, '2026-11-26T23:20:50.123Z INFO  hi');
    });

    t.test('string values with spaces, quotes or = are quoted as JSON', () => {
      const text = textFormatter({ showProducer: false })(entry('m', { a: 'two words', b: 'x=y', c: 'say "hi"', d: '' }));
      assert.equal(text, '2026-11-26T23:20:50.123Z INFO  app.db: m a="two words" b="x=y" c="say \\"hi\\"" d=""');
    });

    t.test('user fields named like core fields show with their underscore', () => {
      const text = textFormatter({ showProducer: false })(entry('m', { level: 'fatal', seq: 1 }));
      assert.match(text, / INFO  app\.db: m _level=fatal _seq=1$/);
    });

    for (const colors of [false, true]) {
      t.test(`hostile message, logger name, field names and values give one line without raw controls (colors ${colors ? 'on' : 'off'})`, () => {
        const format = textFormatter({ colors });
        for (const text of HOSTILE) {
          const fields = { [text]: text, nested: { [text]: [text] } };
          const out = format(entry(text, fields, text, 'warn', text));
          // Colours are the formatter's own escapes: remove exactly those, then nothing may remain.
          const withoutOwnColors = colors ? out.replace(/\u001b\[(?:\d+;)*\d+m/g, '') : out;
          assert.ok(!RAW_CONTROL.test(withoutOwnColors), `raw control character in ${JSON.stringify(out)}`);
          assert.equal(out.split(/\r\n|\r|\n|\u2028|\u2029|\u0085/).length, 1);
          if (!colors) assert.ok(!out.includes('\u001b'), 'no ESC at all without colours');
        }
      });
    }

    t.test('escapes are readable: \\n, \\r, \\t, \\xNN, \\uNNNN', () => {
      const out = textFormatter({ showProducer: false })(entry('a\nb\rc\td\u001be\u009bf\u2028g', undefined, 'l\nx'));
      assert.equal(out, '2026-11-26T23:20:50.123Z INFO  l\\nx: a\\nb\\rc\\td\\x1be\\x9bf\\u2028g');
    });

    t.test('colors on: level coloured, metadata dimmed, user text still escaped', () => {
      const out = textFormatter({ colors: true })(entry('\u001b[31mfake', { k: 'v' }, 'app', 'error'));
      assert.ok(out.includes('\u001b[31mERROR\u001b[0m'), 'the level is red');
      assert.ok(out.includes('\u001b[2m2026-11-26T23:20:50.123Z\u001b[0m'), 'the time is dim');
      assert.ok(out.includes('\\x1b[31mfake'), "the message's ESC is escaped");
      assert.ok(out.includes('\u001b[2mk=\u001b[0mv'));
      const plain = textFormatter({ colors: false })(entry('m', { k: 'v' }, 'app', 'error'));
      assert.equal(plain, '2026-11-26T23:20:50.123Z ERROR main#12 app: m k=v');
    });

    t.test('every level has a label of the same width', () => {
      const format = textFormatter({ showProducer: false });
      const widths = new Set<number>();
      for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) {
        const out = format(entry('m', undefined, 'x', level));
        assert.match(out, new RegExp(` ${level.toUpperCase()} +x: m$`));
        widths.add(out.length);
      }
      assert.equal(widths.size, 1);
    });

    t.test('a line that is not JSON (from a misbehaving producer) still formats as one line', () => {
      const out = textFormatter()(entryFromLine('garbage\u001b[2J with\nnewline'));
      assert.ok(!RAW_CONTROL.test(out));
      assert.match(out, /garbage\\x1b\[2J with\\nnewline/);
    });

    t.test('the JSON-lines formatter writes the canonical line as it is', () => {
      const subject = entry('m\n', { k: '\u2028' });
      assert.equal(jsonLinesFormatter(subject), subject.line);
      assert.ok(!RAW_CONTROL.test(subject.line));
    });
  });
}
