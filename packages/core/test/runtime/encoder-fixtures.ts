/** Helpers shared by the encoder suites. */
import assert from 'node:assert/strict';
import { RecordEncoder } from '@tributary/core/adapter';
import type { EncodeLimits, LevelName } from '@tributary/core';

/** One record through the encoder, with user fields. */
export function encodeWith(fields: unknown, limits?: EncodeLimits, msg = 'm', level: LevelName = 'info'): string {
  const encoder = new RecordEncoder({ producer: 'p', pid: 42 }, limits);
  return encoder.encode(level, msg, encoder.quoteName('app'), 7, '', fields, Date.UTC(2026, 10, 26, 23, 20, 50, 123));
}

/** Checks the line is one line, valid UTF-8 once encoded, and parses; returns the record. */
export function parseLine(line: string): Record<string, unknown> {
  assert.ok(!line.includes('\n') && !line.includes('\r'), `raw line break in ${line.slice(0, 200)}`);
  // TextEncoder turns a lone surrogate into U+FFFD, so the round trip below fails on one.
  const bytes = new TextEncoder().encode(line);
  const decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  assert.equal(decoded, line);
  const value: unknown = JSON.parse(decoded);
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value));
  return value as Record<string, unknown>;
}

/** The record's field `key` for one user value `value`. */
export function field(value: unknown, limits?: EncodeLimits): unknown {
  return parseLine(encodeWith({ value }, limits))['value'];
}

export const throwingTraps: ProxyHandler<object> = Object.fromEntries(
  [
    'get',
    'set',
    'has',
    'ownKeys',
    'getOwnPropertyDescriptor',
    'getPrototypeOf',
    'defineProperty',
    'deleteProperty',
    'apply',
    'construct',
    'isExtensible',
    'preventExtensions',
    'setPrototypeOf',
  ].map((trap) => [
    trap,
    () => {
      throw new Error(`trap ${trap} refused`);
    },
  ]),
);
