/**
 * The read-back check for the other loggers' output in `threads-to-file`: their records carry no
 * sequence number, so each line is parsed and the distinct `n` values of each `producer` counted.
 * A line that does not parse as a JSON object with a string `producer` and a number `n` is torn; a record that never arrived (or arrived only as part
 * of a torn line) is missing from its producer's set.
 */
import { readFileSync } from 'node:fs';
import { splitLines } from '@tributary/core/testing';

export interface PeerCheck {
  /** Distinct (producer, n) pairs found. */
  readonly verified: number;
  /** Lines that did not parse. */
  readonly torn: number;
  /** Distinct n per producer, by producer. */
  readonly perProducer: ReadonlyMap<string, number>;
}

export function checkPeerOutput(file: string): PeerCheck {
  let torn = 0;
  const seen = new Map<string, Set<number>>();
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    // A tool that never created the file delivered nothing: everything is lost, nothing torn.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const line of splitLines(text)) {
    let record: { producer?: unknown; n?: unknown } | null;
    try {
      record = JSON.parse(line) as { producer?: unknown; n?: unknown } | null;
    } catch {
      record = null;
    }
    if (record === null || typeof record.producer !== 'string' || typeof record.n !== 'number') torn += 1;
    else {
      let set = seen.get(record.producer);
      if (set === undefined) {
        set = new Set();
        seen.set(record.producer, set);
      }
      set.add(record.n);
    }
  }
  const perProducer = new Map([...seen].map(([producer, set]) => [producer, set.size]));
  const verified = [...perProducer.values()].reduce((sum, size) => sum + size, 0);
  return { verified, torn, perProducer };
}
