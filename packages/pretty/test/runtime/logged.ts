import { QueueListener } from '@tributary/core';
import type { LogEntry, Logger } from '@tributary/core';
import { memorySink } from '@tributary/core/testing';

/** The entries a real listener hands its sinks for what `body` logs (logger `app`, producer `main`). */
export async function logged(body: (log: Logger) => void): Promise<readonly LogEntry[]> {
  const sink = memorySink();
  const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
  body(listener.logger({ name: 'app', producer: 'main', level: 'trace' }));
  await listener.stop();
  return sink.entries;
}

/** The one entry a real listener hands its sinks for what `body` logs. */
export async function loggedOne(body: (log: Logger) => void): Promise<LogEntry> {
  const entries = await logged(body);
  if (entries.length !== 1) throw new Error(`expected one entry, got ${entries.length}`);
  return entries[0] as LogEntry;
}

/** An entry for a hand-written record line, as a listener would make it. */
export function entryOf(record: Record<string, unknown>): LogEntry {
  const line = JSON.stringify({ time: '2026-11-26T23:20:50.123Z', level: 'info', msg: 'm', logger: 'app', producer: 'main', seq: 1, pid: 7, ...record });
  return { line, level: (record['level'] as LogEntry['level'] | undefined) ?? 'info', record: JSON.parse(line) };
}

/** Control characters that must never reach the output raw (a record's own line breaks aside). */
export const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
