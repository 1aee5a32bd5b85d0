/** `tributary pretty` reading standard input, spawned as the built bin with real pipes. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { waitFor } from '@tributary/core/testing';
import { describe, expect, test } from 'vitest';
import { CLI_RUNNERS, EXAMPLES, header, plainEnv, recordLine } from './spawn-cli.ts';

const SGR = /\u001b\[[0-9;]*m/g;

describe.each(CLI_RUNNERS)('$name: tributary pretty on standard input', (cli) => {
  test('the dev loop: node app.js | tributary pretty', async () => {
    const [command, args] = cli.script(resolve(EXAMPLES, 'app.mjs'), ['2']);
    const app = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const running = cli.start(['pretty']);
    app.stdout.pipe(running.child.stdin);
    const [{ code }] = await Promise.all([running.exited, new Promise((done) => app.on('close', done))]);
    expect(code).toBe(0);
    expect(running.stderr).toBe('');
    const lines = running.stdout.split('\n');
    expect(lines.pop()).toBe('');
    const headers = lines.filter((line) => !line.startsWith(' ')).map((line) => line.replace(/^\d\d:\d\d:\d\d\.\d{3} /, ''));
    expect(headers).toEqual([
      'INFO  [main] app: server started',
      'DEBUG [main] app: request served',
      'DEBUG [main] app: request served',
      'WARN  [main] app.db: slow query',
      'ERROR [main] app: boom',
    ]);
    expect(lines).toContain('  port: 8080');
    expect(lines).toContain('  err: Error: boom');
    expect(lines).toContain('    cause: Error: root cause');
    expect(lines.filter((line) => /^ {6}at .*app\.mjs/.test(line)).length).toBeGreaterThan(0);
    expect(running.stdout).not.toMatch(SGR);
  });

  test('lines that are not records pass through unchanged, a last line without a newline too', async () => {
    const input = [
      'plain text',
      '{"not":"a record"}',
      '[1,2]',
      '{"level":"verbose","msg":"x"}',
      '{broken',
      `  ${recordLine({ msg: 'indented json' })}`,
      'no newline at the end',
    ];
    const { code, stdout, stderr } = await cli.run(['pretty'], input.join('\n'));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([...input.slice(0, 5), header('info', 'main', 'app', 'indented json'), 'no newline at the end', '']);
  });

  test('--level, --producer and --logger filter records (level in any case, loggers with their children)', async () => {
    const input = [
      recordLine({ level: 'debug', msg: 'd' }),
      recordLine({ level: 'warn', msg: 'w-main' }),
      recordLine({ level: 'error', msg: 'e-w1', producer: 'w1' }),
      recordLine({ level: 'fatal', msg: 'f-db', producer: 'w1', logger: 'app.db' }),
      recordLine({ level: 'error', msg: 'apple', logger: 'apple' }),
      'a plain line',
    ].join('\n');
    const headers = (stdout: string): string[] => stdout.split('\n').filter((line) => line !== '');
    expect(headers((await cli.run(['pretty', '--level', 'WARN'], input)).stdout)).toEqual([
      header('warn', 'main', 'app', 'w-main'),
      header('error', 'w1', 'app', 'e-w1'),
      header('fatal', 'w1', 'app.db', 'f-db'),
      header('error', 'main', 'apple', 'apple'),
      'a plain line',
    ]);
    expect(headers((await cli.run(['pretty', '--producer', 'w1'], input)).stdout)).toEqual([
      header('error', 'w1', 'app', 'e-w1'),
      header('fatal', 'w1', 'app.db', 'f-db'),
      'a plain line',
    ]);
    expect(headers((await cli.run(['pretty', '--logger', 'app.db', '--logger', 'apple'], input)).stdout)).toEqual([
      header('fatal', 'w1', 'app.db', 'f-db'),
      header('error', 'main', 'apple', 'apple'),
      'a plain line',
    ]);
    expect(headers((await cli.run(['pretty', '--logger', 'app', '--producer', 'main', '--level', 'info'], input)).stdout)).toEqual([
      header('warn', 'main', 'app', 'w-main'),
      'a plain line',
    ]);
  });

  test('colours: none into a pipe; FORCE_COLOR=1 turns them on, NO_COLOR wins over nothing else', async () => {
    const input = recordLine({ level: 'error', n: 1 });
    expect((await cli.run(['pretty'], input)).stdout).not.toMatch(SGR);
    const forced = (await cli.run(['pretty'], input, plainEnv({ FORCE_COLOR: '1' }))).stdout;
    expect(forced).toMatch(SGR);
    expect(forced.replace(SGR, '')).toBe((await cli.run(['pretty'], input)).stdout);
    expect((await cli.run(['pretty'], input, plainEnv({ FORCE_COLOR: '1', NO_COLOR: '1' }))).stdout).toMatch(SGR);
    expect((await cli.run(['pretty'], input, plainEnv({ FORCE_COLOR: '0' }))).stdout).not.toMatch(SGR);
  });

  test('a hostile record prints escaped, indented, and cannot forge a line', async () => {
    const forged = `x\n${header('fatal', 'main', 'app', 'forged')}\r\u001b[2J`;
    const { stdout } = await cli.run(['pretty'], recordLine({ msg: forged, [`key\n${forged}`]: forged }), plainEnv({ FORCE_COLOR: '1' }));
    const lines = stdout.replace(SGR, '').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('app: x\\n23:20:50.123 FATAL [main] app: forged\\r\\x1b[2J');
    expect(lines[1]).toMatch(/^ {2}key\\nx\\n23:20:50\.123 FATAL/);
    expect(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(stdout.replace(SGR, '').replace(/\n/g, ''))).toBe(false);
  });

  test("Ctrl-C: a piped standard input is still read to its end (the app's last records), then exit 0", async () => {
    const running = cli.start(['pretty']);
    running.child.stdin.write(`${recordLine({ msg: 'before' })}\n`);
    await running.waitForOutput((out) => out.includes('before'), 'the first record');
    running.child.kill('SIGINT');
    await waitFor(() => running.stderr.includes('Ctrl-C again to stop now'), 'the note that Ctrl-C was seen');
    // The process is still there, reading: what the writer sends after Ctrl-C is printed.
    running.child.stdin.end(`${recordLine({ msg: 'after ctrl-c' })}\n`);
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(running.stdout).toContain(header('info', 'main', 'app', 'after ctrl-c'));
    expect(running.stderr).toBe('tributary: reading standard input to its end (the last records of the writer); Ctrl-C again to stop now\n');
  });

  test('a second Ctrl-C stops reading at once (exit 130)', async () => {
    const running = cli.start(['pretty']);
    running.child.stdin.write(`${recordLine({ msg: 'first' })}\n`);
    await running.waitForOutput((out) => out.includes('first'), 'the first record');
    running.child.kill('SIGINT');
    await waitFor(() => running.stderr.includes('Ctrl-C again to stop now'), 'the note that the first Ctrl-C was seen');
    running.child.kill('SIGINT');
    expect(await running.exited).toEqual({ code: 130, signal: null });
  });

  test('a reader that goes away (| head -1) ends the command quietly with 0', async () => {
    const running = cli.start(['pretty']);
    const block = `${Array.from({ length: 500 }, (_, index) => recordLine({ index })).join('\n')}\n`;
    running.child.stdin.on('error', () => {}); // the command is gone before all input is written
    running.child.stdin.write(block);
    await running.waitForOutput((out) => out.length > 0, 'some output');
    running.child.stdout.destroy();
    // Standard input never ends: only the closed output can end the command.
    let exited = false;
    const result = running.exited.finally(() => {
      exited = true;
    });
    while (!exited) {
      if (!running.child.stdin.write(block)) await Promise.race([once(running.child.stdin, 'drain').catch(() => {}), result]);
      else await new Promise((resolveSoon) => setImmediate(resolveSoon));
    }
    expect((await result).code).toBe(0);
    expect(running.stderr).toBe('');
  });
});

describe.each(CLI_RUNNERS)('$name: tributary command line errors and help', (cli) => {
  test.each([
    [['pretty', '--nope'], /^tributary: unknown option --nope\nRun 'tributary pretty --help' for usage\.\n$/],
    [['pretty', '--level'], /^tributary: Option '--level <value>' argument missing\n/],
    [['pretty', '--level', 'verbose'], /^tributary: --level must be one of trace, debug, info, warn, error, fatal; got "verbose"\n/],
    [['pretty', '-', '-'], /^tributary: standard input \("-"\) can be read only once\n/],
    [['pretty', '/nonexistent/app.log'], /^tributary: cannot read \/nonexistent\/app\.log: no such file or directory \(ENOENT\)\n/],
    [['pretty', EXAMPLES], /^tributary: cannot read .*examples: is a directory \(EISDIR\)\n/],
    [['prety'], /^tributary: unknown command "prety"\nRun 'tributary --help' for usage\.\n$/],
  ])('%j: one clear line on stderr, exit code 2, nothing on stdout', async (args, message) => {
    const { code, stdout, stderr } = await cli.run(args);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
    expect(code).toBe(2);
  });

  test('a missing file among good ones: nothing is printed', async () => {
    const { code, stdout } = await cli.run(['pretty', resolve(EXAMPLES, 'app.mjs'), '/nonexistent/app.log']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
  });

  test('--help and -h print the usage on stdout with exit 0; no command prints it on stderr with 2', async () => {
    for (const flag of ['--help', '-h']) {
      const { code, stdout } = await cli.run(['pretty', flag]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Usage: tributary pretty \[options\] \[FILE\.\.\.\]\n/);
      expect(stdout).toContain('--follow');
    }
    expect((await cli.run(['--help'])).stdout).toMatch(/^Usage: tributary <command>/);
    const bare = await cli.run([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/^Usage: tributary <command>/);
  });
});
