import { existsSync, readFileSync } from 'node:fs';
import { splitLines } from '@tributary/core/testing';

/** The lines of a text file, or none when it does not exist. */
export function readLines(path: string): string[] {
  return existsSync(path) ? splitLines(readFileSync(path, 'utf8')) : [];
}
