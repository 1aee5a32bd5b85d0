/**
 * Colours decided by the terminal check itself: the bin runs with its standard output on a real
 * pseudo-terminal (util-linux `script`), on Node, Deno and Bun.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { systemDaemon } from '../../../tooling/runtime-tests/system-daemon.ts';
import { CLI_RUNNERS, plainEnv, recordLine } from './spawn-cli.ts';

const script = systemDaemon({ binary: 'script', install: 'apt-get install -y bsdutils' });
const scratch = mkdtempSync(join(tmpdir(), 'tributary-cli-tty-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const log = join(scratch, 'app.log');
writeFileSync(log, `${recordLine({ level: 'warn', msg: 'on a terminal' })}\n`);
const SGR = /\u001b\[[0-9;]*m/;
const SGR_ALL = /\u001b\[[0-9;]*m/g;
const CTRL_C = '\u0003';

/** What the terminal shows and the exit code when it is pressed (`keys`) once it shows `after`. */
interface TerminalRun {
  readonly code: number | null;
  readonly shown: string;
}

/**
 * Runs `command` with its standard input and output on a pseudo-terminal (`exec`, so `script`
 * exits with the command's own status); types `input`, and `keys` once the terminal shows `after`.
 */
function onTerminal(command: readonly string[], env: NodeJS.ProcessEnv, typed?: { input: string; after: string; keys: string }): Promise<TerminalRun> {
  const quoted = command.map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn(script.path as string, ['-qec', `exec ${quoted}`, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  let shown = '';
  let pressed = false;
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    shown += text;
    if (typed !== undefined && !pressed && shown.replace(SGR_ALL, '').includes(typed.after)) {
      pressed = true;
      child.stdin.write(typed.keys);
    }
  });
  if (typed === undefined) child.stdin.end();
  else child.stdin.write(typed.input);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, shown })));
}

describe.skipIf(script.skip).each(CLI_RUNNERS)('$name: tributary pretty on a terminal', (cli) => {
  const command = cli.command(['pretty', log]);
  test('colours on by default, off with NO_COLOR or TERM=dumb', async () => {
    const coloured = await onTerminal(command, plainEnv({ TERM: 'xterm-256color' }));
    expect(coloured.code).toBe(0);
    expect(coloured.shown).toMatch(SGR);
    expect(coloured.shown.replace(SGR_ALL, '')).toContain('WARN  [main] app: on a terminal');
    expect((await onTerminal(command, plainEnv({ TERM: 'xterm-256color', NO_COLOR: '1' }))).shown).not.toMatch(SGR);
    expect((await onTerminal(command, plainEnv({ TERM: 'dumb' }))).shown).not.toMatch(SGR);
  });

  test('Ctrl-C typed on the terminal ends -f cleanly with 0', async () => {
    const run = await onTerminal(cli.command(['pretty', '-f', log]), plainEnv({ TERM: 'xterm-256color' }), {
      input: '',
      after: 'app: on a terminal',
      keys: CTRL_C,
    });
    expect(run.code).toBe(0);
  });

  test('Ctrl-C typed on the terminal stops reading a terminal standard input at once: 130', async () => {
    const input = `${recordLine({ msg: 'typed in' })}\n`;
    const run = await onTerminal(cli.command(['pretty']), plainEnv({ TERM: 'xterm-256color' }), { input, after: 'app: typed in', keys: CTRL_C });
    expect(run.code).toBe(130);
  });
});
