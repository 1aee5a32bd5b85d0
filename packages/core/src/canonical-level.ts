import type { LevelName } from './levels.ts';

/**
 * Reading a canonical line's level without parsing it: in the encoder's fixed field order the level
 * name starts at a known offset, `{"time":"<24 characters>","level":"` being 44 characters long.
 */

/** Offset of the level name in a canonical line whose time has the usual 24 characters. */
const LEVEL_OFFSET = 44;
/** What precedes the level name. */
const LEVEL_PREFIX = '","level":"';
/** The level named by its first character's code. */
const LEVEL_BY_INITIAL: Readonly<Record<number, LevelName>> = {
  116: 'trace',
  100: 'debug',
  105: 'info',
  119: 'warn',
  101: 'error',
  102: 'fatal',
};
const QUOTE = 34;

/**
 * Reads a canonical line's level without parsing it; returns undefined when the line is not in the
 * canonical layout (the caller then parses it).
 */
export function levelOfLine(line: string): LevelName | undefined {
  if (!line.startsWith(LEVEL_PREFIX, LEVEL_OFFSET - LEVEL_PREFIX.length)) return undefined;
  const level = LEVEL_BY_INITIAL[line.charCodeAt(LEVEL_OFFSET)];
  if (level === undefined || line.charCodeAt(LEVEL_OFFSET + level.length) !== QUOTE) return undefined;
  return level;
}

/** {@link levelOfLine} for a line held as UTF-8 bytes from `start` to `end`. */
export function levelOfBytes(bytes: Uint8Array, start: number, end: number): LevelName | undefined {
  const at = start + LEVEL_OFFSET;
  if (at + 6 > end) return undefined;
  for (let index = 0; index < LEVEL_PREFIX.length; index++) {
    if (bytes[at - LEVEL_PREFIX.length + index] !== LEVEL_PREFIX.charCodeAt(index)) return undefined;
  }
  const level = LEVEL_BY_INITIAL[bytes[at] as number];
  if (level === undefined || bytes[at + level.length] !== QUOTE) return undefined;
  return level;
}
