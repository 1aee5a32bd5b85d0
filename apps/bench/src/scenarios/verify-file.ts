import { readFileSync } from 'node:fs';
import { checkOutput, splitLines } from '@tributary/core/testing';
import { sampleLine } from '../line-shape.ts';
import type { BenchResult, ScenarioOptions } from '../scenario.ts';

/**
 * Reads back one file that `options.producers` producers (`p1`, `p2`, …) wrote `options.records`
 * records each into, and counts what is there once, in order: verified records, torn, duplicated or
 * out-of-order lines, lost records, plus a sample line for the line-shape check.
 */
export function verifyFile(scenario: string, tool: string, path: string, options: ScenarioOptions, seconds: number): BenchResult {
  const text = readFileSync(path, 'utf8');
  const check = checkOutput(splitLines(text));
  const line = sampleLine(text, 'p1');
  let verified = 0;
  let producersFound = 0;
  for (const [producer, state] of check.producers) {
    if (producer === 'listener') continue;
    producersFound += 1;
    verified += state.count - state.duplicated;
  }
  const records = options.records * options.producers;
  const notices = [...check.notices.keys()].join(', ');
  return {
    scenario,
    tool,
    records,
    verified,
    torn: check.torn + check.outOfOrder + check.duplicated,
    lost: records - verified,
    seconds,
    ...(producersFound === options.producers && notices === '' ? {} : { note: `producers found: ${producersFound}; notices: ${notices || 'none'}` }),
    ...(line === undefined ? {} : { sampleLine: line }),
  };
}
