import { describe, expect, test } from 'vitest';
import { orderRotatedSets } from '../src/rotated-order.ts';

describe('orderRotatedSets', () => {
  test('numbered backups: the highest number first, the current file last, gzipped or not', () => {
    expect(orderRotatedSets(['app.log', 'app.log.1', 'app.log.10.gz', 'app.log.2.gz', 'app.log.9'])).toEqual([
      'app.log.10.gz',
      'app.log.9',
      'app.log.2.gz',
      'app.log.1',
      'app.log',
    ]);
  });

  test('dated backups (daily, hourly, parts of one interval): oldest first', () => {
    const given = ['app.log', 'app.log-20261127.gz', 'app.log-20261126.2.gz', 'app.log-2026112623', 'app.log-20261126', 'app.log-20261126.1.gz'];
    expect(orderRotatedSets(given)).toEqual([
      'app.log-20261126',
      'app.log-20261126.1.gz',
      'app.log-20261126.2.gz',
      'app.log-2026112623',
      'app.log-20261127.gz',
      'app.log',
    ]);
  });

  test('separate sets stay apart, each where its first file was given; other files keep their place', () => {
    expect(orderRotatedSets(['b.log', 'notes.txt', 'a/app.log', 'b.log.1', 'a/app.log.2.gz', 'a/app.log.1'])).toEqual([
      'b.log.1',
      'b.log',
      'notes.txt',
      'a/app.log.2.gz',
      'a/app.log.1',
      'a/app.log',
    ]);
  });
});
