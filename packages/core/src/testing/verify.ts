/** What a reader found when it checked every line of an output. */
export interface OutputCheck {
  /** Lines that parsed as JSON objects. */
  readonly records: number;
  /** Lines that did not parse (torn or interleaved writes). */
  readonly torn: number;
  /** Per producer: how many distinct sequence numbers, the highest, duplicates, out-of-order steps. */
  readonly producers: ReadonlyMap<string, ProducerCheck>;
  /** Sum over producers of sequence numbers missing below each producer's highest. */
  readonly missing: number;
  readonly duplicated: number;
  readonly outOfOrder: number;
  /** The listener's and producers' `tributary.*` records, by message. */
  readonly notices: ReadonlyMap<string, readonly Record<string, unknown>[]>;
}

export interface ProducerCheck {
  readonly count: number;
  readonly maxSeq: number;
  readonly missing: number;
  readonly duplicated: number;
  readonly outOfOrder: number;
}

/**
 * Checks JSON-lines output the way a user would: parse every line, then for each producer check that
 * its sequence numbers have no gaps, no duplicates and never go backwards.
 */
export function checkOutput(lines: Iterable<string>): OutputCheck {
  let records = 0;
  let torn = 0;
  const seen = new Map<string, { seqs: Set<number>; last: number; max: number; duplicated: number; outOfOrder: number }>();
  const notices = new Map<string, Record<string, unknown>[]>();
  for (const line of lines) {
    if (line === '') continue;
    let record: Record<string, unknown>;
    try {
      const value: unknown = JSON.parse(line);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
      record = value as Record<string, unknown>;
    } catch {
      torn += 1;
      continue;
    }
    records += 1;
    const producer = String(record['producer']);
    const seq = Number(record['seq']);
    let state = seen.get(producer);
    if (state === undefined) {
      state = { seqs: new Set(), last: 0, max: 0, duplicated: 0, outOfOrder: 0 };
      seen.set(producer, state);
    }
    if (state.seqs.has(seq)) state.duplicated += 1;
    else state.seqs.add(seq);
    if (seq < state.last) state.outOfOrder += 1;
    state.last = seq;
    if (seq > state.max) state.max = seq;
    const msg = record['msg'];
    if (typeof msg === 'string' && msg.startsWith('tributary.')) {
      const list = notices.get(msg) ?? [];
      list.push(record);
      notices.set(msg, list);
    }
  }
  const producers = new Map<string, ProducerCheck>();
  let missing = 0;
  let duplicated = 0;
  let outOfOrder = 0;
  for (const [producer, state] of seen) {
    const producerMissing = state.max - state.seqs.size;
    producers.set(producer, {
      count: state.seqs.size,
      maxSeq: state.max,
      missing: producerMissing,
      duplicated: state.duplicated,
      outOfOrder: state.outOfOrder,
    });
    missing += producerMissing;
    duplicated += state.duplicated;
    outOfOrder += state.outOfOrder;
  }
  return { records, torn, producers, missing, duplicated, outOfOrder, notices };
}

/** Splits text into lines, dropping the empty piece after a final newline. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
