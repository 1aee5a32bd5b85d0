import { RecordEncoder } from '../encode/record-encoder.ts';
import { entryFromLine } from '../entry.ts';
import type { LevelName } from '../levels.ts';
import type { LogEntry } from '../record.ts';

/** Makes `count` canonical entries of one producer, seq 1..count, with varied content. */
export function makeEntries(count: number, producer = 'p1', firstSeq = 1): LogEntry[] {
  const encoder = new RecordEncoder({ producer, pid: 1 });
  const name = encoder.quoteName('conformance');
  const levels: LevelName[] = ['info', 'warn', 'error', 'debug'];
  const entries: LogEntry[] = [];
  for (let index = 0; index < count; index++) {
    const seq = firstSeq + index;
    const level = levels[seq % levels.length] as LevelName;
    const fields = { n: seq, text: seq % 7 === 0 ? 'multi\nline "quoted" ünïcødé 🎉' : 'plain' };
    entries.push(entryFromLine(encoder.encode(level, `record ${seq}`, name, seq, '', fields), level));
  }
  return entries;
}
