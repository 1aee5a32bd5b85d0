/** `tributary pretty FILE...` and `-f`, spawned as the built bin, on real files in a temp directory. */
import { appendFileSync, copyFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { waitFor } from '@tributary/core/testing';
import { afterAll, describe, expect, test } from 'vitest';
import { CLI_RUNNERS, header, recordLine } from './spawn-cli.ts';

const scratch = mkdtempSync(join(tmpdir(), 'tributary-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let files = 0;
/** A fresh path in the scratch directory. */
const path = (name: string): string => join(scratch, `${++files}-${name}`);
const lines = (...messages: string[]): string => messages.map((msg) => `${recordLine({ msg })}\n`).join('');
const shown = (stdout: string): string[] => stdout.split('\n').filter((line) => line !== '');
const info = (msg: string): string => header('info', 'main', 'app', msg);

describe.each(CLI_RUNNERS)('$name: tributary pretty FILE...', (cli) => {
  test('plain and gzipped files (told apart by their magic bytes, whatever their names), in the order given', async () => {
    const plain = path('app.log');
    writeFileSync(plain, lines('p1', 'p2'));
    const gzipped = path('app.log.1'); // no .gz suffix: the bytes decide
    writeFileSync(gzipped, gzipSync(lines('g1', 'g2')));
    const twoMembers = path('app.log.2.gz'); // two gzip members one after the other, as `cat a.gz b.gz` makes
    writeFileSync(twoMembers, Buffer.concat([gzipSync(lines('m1')), gzipSync(`${lines('m2')}not json in gzip`)]));
    const { code, stdout, stderr } = await cli.run(['pretty', twoMembers, gzipped, plain]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(shown(stdout)).toEqual([info('m1'), info('m2'), 'not json in gzip', info('g1'), info('g2'), info('p1'), info('p2')]);
  });

  test('"-" reads standard input among the files; a gzipped standard input is gunzipped too', async () => {
    const plain = path('app.log');
    writeFileSync(plain, lines('file'));
    const running = cli.start(['pretty', '-', plain]);
    running.child.stdin.end(gzipSync(lines('stdin')));
    expect((await running.exited).code).toBe(0);
    expect(shown(running.stdout)).toEqual([info('stdin'), info('file')]);
  });

  test('a corrupt gzip file: a clear error, exit 2', async () => {
    const corrupt = path('bad.gz');
    writeFileSync(corrupt, Buffer.concat([gzipSync(lines('ok')).subarray(0, 12), Buffer.from('garbage that is not deflate')]));
    const { code, stderr } = await cli.run(['pretty', corrupt]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^tributary: cannot read .*bad\.gz: /);
  });

  test('a corrupt gzipped standard input: a clear error, exit 2', async () => {
    const running = cli.start(['pretty']);
    running.child.stdin.end(Buffer.concat([gzipSync(lines('ok')).subarray(0, 12), Buffer.from('garbage that is not deflate')]));
    expect((await running.exited).code).toBe(2);
    expect(running.stderr).toMatch(/^tributary: cannot read standard input: /);
  });

  test('a character cut between two reads (64 KiB apart) is decoded whole', async () => {
    const marker = recordLine({ msg: '@@' });
    const at = Buffer.byteLength(marker.slice(0, marker.indexOf('@@')));
    const msg = `${'a'.repeat(64 * 1024 - at - 1)}€ and ✓ after the cut`; // '€' is 3 bytes: the first read ends inside it
    const first = `${marker.replace('@@', msg)}\n`;
    const plain = `${'b'.repeat(2 * 64 * 1024 - Buffer.byteLength(first) - 1)}é plain text cut by the second read`; // 'é' is 2 bytes
    const file = path('utf8.log');
    writeFileSync(file, `${first}${plain}\n`);
    const { code, stdout } = await cli.run(['pretty', file]);
    expect(code).toBe(0);
    expect(shown(stdout)).toEqual([info(msg), plain]);
  });

  test.each([[[]], [['-f']]])('a reader that goes away while a file %j is printed: exit 0, nothing on stderr', async (flags) => {
    const big = path('big.log');
    writeFileSync(big, lines(...Array.from({ length: 20_000 }, (_, index) => `line ${index}`)));
    const running = cli.start(['pretty', ...flags, big]);
    await running.waitForOutput((out) => out.length > 0, 'some output');
    running.child.stdout.destroy();
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(running.stderr).toBe('');
  });

  test('an empty file prints nothing', async () => {
    const empty = path('empty.log');
    writeFileSync(empty, '');
    expect(await cli.run(['pretty', empty])).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe.each(CLI_RUNNERS)('$name: tributary pretty -f', (cli) => {
  test('follows a growing file, a line written in two parts is printed once whole; Ctrl-C ends it with 0', async () => {
    const log = path('app.log');
    writeFileSync(log, lines('one'));
    const running = cli.start(['pretty', '-f', log]);
    await running.waitForOutput((out) => out.includes(info('one')), 'the existing record');
    const next = recordLine({ msg: 'two' });
    appendFileSync(log, next.slice(0, 20));
    appendFileSync(log, `${next.slice(20)}\n`);
    await running.waitForOutput((out) => out.includes(info('two')), 'the appended record');
    appendFileSync(log, 'a last line without a newline');
    running.child.kill('SIGINT');
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(shown(running.stdout)).toEqual([info('one'), info('two'), 'a last line without a newline']);
  });

  test('across a rotation by rename: the old file is read to its end, then the new one from its start', async () => {
    const log = path('app.log');
    writeFileSync(log, lines('before rotation'));
    const running = cli.start(['pretty', '--follow', log]);
    await running.waitForOutput((out) => out.includes(info('before rotation')), 'the first record');
    renameSync(log, `${log}.1`);
    appendFileSync(`${log}.1`, lines('written to the old file after the rename')); // a writer that has not reopened yet
    writeFileSync(log, lines('first in the new file'));
    await running.waitForOutput((out) => out.includes(info('first in the new file')), "the new file's record");
    appendFileSync(log, lines('second in the new file'));
    await running.waitForOutput((out) => out.includes(info('second in the new file')), 'the record appended to the new file');
    running.child.kill('SIGINT');
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(shown(running.stdout)).toEqual([
      info('before rotation'),
      info('written to the old file after the rename'),
      info('first in the new file'),
      info('second in the new file'),
    ]);
    expect(running.stderr).toContain('the file was replaced (rotated), following the new one');
  });

  test('a rename with the new file created later: it waits for it', async () => {
    const log = path('app.log');
    writeFileSync(log, lines('old'));
    const running = cli.start(['pretty', '-f', log]);
    await running.waitForOutput((out) => out.includes(info('old')), 'the first record');
    renameSync(log, `${log}.1`);
    appendFileSync(`${log}.1`, lines('old, after the rename'));
    await running.waitForOutput((out) => out.includes(info('old, after the rename')), 'the old file still read while no new one exists');
    writeFileSync(log, lines('new'));
    await running.waitForOutput((out) => out.includes(info('new')), 'the new file, once it exists');
    running.child.kill('SIGINT');
    expect((await running.exited).code).toBe(0);
  });

  test('across a copytruncate: the shrink is noticed and the file is read again from its start', async () => {
    const log = path('app.log');
    writeFileSync(log, lines('before copytruncate 1', 'before copytruncate 2'));
    const running = cli.start(['pretty', '-f', log]);
    await running.waitForOutput((out) => out.includes(info('before copytruncate 2')), 'the first records');
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    await waitFor(() => running.stderr.includes('file truncated'), `the truncation noticed; stderr: ${running.stderr}`);
    appendFileSync(log, lines('after copytruncate'));
    await running.waitForOutput((out) => out.includes(info('after copytruncate')), 'the record written after the truncation');
    running.child.kill('SIGINT');
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(shown(running.stdout)).toEqual([info('before copytruncate 1'), info('before copytruncate 2'), info('after copytruncate')]);
    expect(running.stderr).toBe(`tributary: ${log}: file truncated, reading it from the start\n`);
  });

  test('several files followed at once, filters applied; a gzipped one is read once', async () => {
    const a = path('a.log');
    const b = path('b.log');
    const old = path('a.log.2.gz');
    writeFileSync(a, lines('a1'));
    writeFileSync(b, '');
    writeFileSync(old, gzipSync(lines('archived')));
    const running = cli.start(['pretty', '-f', '--producer', 'w2', old, a, b]);
    appendFileSync(b, `${recordLine({ msg: 'b from w2', producer: 'w2' })}\n${recordLine({ msg: 'b from main' })}\n`);
    appendFileSync(a, `${recordLine({ msg: 'a from w2', producer: 'w2' })}\n`);
    await running.waitForOutput((out) => out.includes('b from w2') && out.includes('a from w2'), "both files' w2 records");
    running.child.kill('SIGINT');
    expect((await running.exited).code).toBe(0);
    expect(shown(running.stdout).sort()).toEqual([header('info', 'w2', 'app', 'a from w2'), header('info', 'w2', 'app', 'b from w2')]);
  });
});
