import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskSpool, SpoolBridge, resolveSpoolOptions } from '@tributary/core/sink';
import type { Spoolable } from '@tributary/core/sink';
import { recordingSinkContext } from '@tributary/core/testing';
import type { RecordingSinkContext, TestApi } from '@tributary/core/testing';

/** A sink's held item: the record's index, parsed from its line, and the kit's spool fields. */
interface Item extends Spoolable {
  readonly index: number;
}

function line(index: number): string {
  return JSON.stringify({ msg: 'spooled', index });
}

/** Revives a spooled line; a line that is not a record throws, as a sink's encoder would. */
function revive(text: string, segment: number): Item {
  const { index } = JSON.parse(text) as { index?: unknown };
  if (typeof index !== 'number') throw new TypeError('not a record');
  return { index, line: text, segment };
}

function withBridge(body: (bridge: SpoolBridge<Item>, context: RecordingSinkContext, dir: string, reopen: () => SpoolBridge<Item>) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-spool-bridge-'));
  const context = recordingSinkContext();
  const options = resolveSpoolOptions('test', { dir, maxBytes: 1_024 * 64 }, 'test-sink') as NonNullable<ReturnType<typeof resolveSpoolOptions>>;
  const open = (): SpoolBridge<Item> => new SpoolBridge(DiskSpool.open(options, 'test'), revive, context);
  const bridge = open();
  try {
    body(bridge, context, dir, open);
  } finally {
    bridge.spool.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function refilled(bridge: SpoolBridge<Item>): Item[] | undefined {
  const items: Item[] = [];
  return bridge.refill((item) => items.push(item)) ? items : undefined;
}

/** The kit's SpoolBridge: what the OTLP and socket sinks share between their memory and the DiskSpool. */
export default function suite(t: TestApi): void {
  t.describe('SpoolBridge', () => {
    t.test('refill revives the oldest spool file; its file is removed only once every record of it was answered for', () => {
      withBridge((bridge, context, dir) => {
        bridge.append([1, 2, 3].map(line));
        assert.deepEqual([bridge.backlog, bridge.spooled], [3, 3]);
        const items = refilled(bridge) ?? [];
        assert.deepEqual(
          items.map((item) => item.index),
          [1, 2, 3],
        );
        assert.ok(items.every((item) => item.line === line(item.index) && typeof item.segment === 'number'));
        assert.equal(bridge.backlog, 0, 'read back: no longer in the backlog');
        const files = (): number => readdirSync(dir).filter((name) => name.endsWith('.jsonl')).length;
        bridge.answered(items.slice(0, 2));
        assert.equal(files(), 1, 'one record still unanswered: the file stays');
        bridge.answered([{ index: 9, line: line(9) }]); // an item from a write, not from the spool
        assert.equal(files(), 1);
        bridge.answered(items.slice(2));
        assert.equal(files(), 0, 'all answered: the file is removed');
        assert.equal(refilled(bridge), undefined, 'an empty spool refills nothing');
        assert.equal(context.droppedRecords, 0);
      });
    });

    t.test('a spooled line that is not a record is reported dropped; a file of nothing but such lines is removed at once', () => {
      withBridge((bridge, context, dir) => {
        bridge.append(['not json', line(1), '{"msg":"no index"}']);
        assert.deepEqual(
          refilled(bridge)?.map((item) => item.index),
          [1],
        );
        assert.equal(context.droppedRecords, 2);
        assert.match(context.drops[0]?.reason ?? '', /were not records/);
        bridge.spool.close();
        const files = readdirSync(dir).filter((name) => name.endsWith('.jsonl'));
        assert.equal(files.length, 1, 'the readable record is not answered yet');
      });
      withBridge((bridge, context, dir) => {
        bridge.append(['garbage']);
        assert.deepEqual(refilled(bridge), []);
        assert.equal(context.droppedRecords, 1);
        assert.equal(readdirSync(dir).filter((name) => name.endsWith('.jsonl')).length, 0);
      });
    });

    t.test('spill writes what the sink holds before everything spooled, in place of the files read back; a reopened spool has it all, in order', () => {
      withBridge((bridge, context, _dir, reopen) => {
        bridge.append([1, 2, 3, 4].map(line));
        const items = refilled(bridge) ?? [];
        bridge.answered(items.slice(0, 1)); // record 1 delivered
        bridge.append([5, 6].map(line)); // newer records arrived meanwhile
        // the sink lets go: records 2–4 of the file and 7, which it held from a write (and one without a line)
        bridge.spill([...items.slice(1), { index: 7, line: line(7) }, { index: 8 }]);
        assert.equal(bridge.spooled, 6 + 4);
        bridge.spool.close();
        const again = reopen();
        const order: number[] = [];
        for (let items = refilled(again); items !== undefined; items = refilled(again)) {
          for (const item of items) order.push(item.index);
          again.answered(items);
        }
        again.spool.close();
        assert.deepEqual(order, [2, 3, 4, 7, 5, 6]);
        assert.equal(context.droppedRecords, 0);
      });
    });
  });
}
