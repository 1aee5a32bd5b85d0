import type { LevelName } from '@tributary/core/sink';

/** The ANSI escapes the pretty formatter adds; every one of them comes from here, none from user data. */
export interface Palette {
  level(level: LevelName, text: string): string;
  time(text: string): string;
  producer(text: string): string;
  logger(text: string): string;
  key(text: string): string;
  errorTitle(text: string): string;
  stackLine(text: string): string;
}

const RESET = '\u001b[0m';
const LEVEL_STYLES: Readonly<Record<LevelName, string>> = {
  trace: '\u001b[2m',
  debug: '\u001b[34m',
  info: '\u001b[32m',
  warn: '\u001b[33;1m',
  error: '\u001b[31;1m',
  fatal: '\u001b[97;41;1m',
};

function style(code: string): (text: string) => string {
  return (text) => `${code}${text}${RESET}`;
}

/** Colours for a terminal. */
export const ANSI_PALETTE: Palette = {
  level: (level, text) => `${LEVEL_STYLES[level]}${text}${RESET}`,
  time: style('\u001b[90m'),
  producer: style('\u001b[35m'),
  logger: style('\u001b[36m'),
  key: style('\u001b[2m'),
  errorTitle: style('\u001b[31m'),
  stackLine: style('\u001b[90m'),
};

const same = (text: string): string => text;

/** No colours: every piece as it is. */
export const PLAIN_PALETTE: Palette = {
  level: (_level, text) => text,
  time: same,
  producer: same,
  logger: same,
  key: same,
  errorTitle: same,
  stackLine: same,
};
