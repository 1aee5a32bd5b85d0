/**
 * Steps for the tooling scripts that check things from outside the workspace (the third-party
 * sink, the packed packages): run a command with its output kept, and record one line per step,
 * printing the command's output when the step failed.
 */
import { spawnSync } from 'node:child_process';

/** Runs a command in `cwd` without colours; its output is kept for the failure message. */
export function runQuiet(command, args, cwd, env = {}) {
  return spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** A list of steps, each printed as it ends (`✓ name (detail)`, or `✗` with the output). */
export function stepList() {
  const steps = [];
  return {
    steps,
    /** Records one step: passed when `ok`, else prints the command's output; returns `ok`. */
    step(name, result, ok, detail) {
      steps.push({ name, ok });
      console.log(`  ${ok ? '✓' : '✗'} ${name}${detail ? ` (${detail})` : ''}`);
      if (!ok) console.log(`${result?.stdout ?? ''}${result?.stderr ?? ''}${result?.error ? String(result.error) : ''}`.trimEnd().replace(/^/gm, '    '));
      return ok;
    },
    /** Adds a failed step for an error that ended the run early (unless a step already failed). */
    abort(error) {
      if (steps.every((s) => s.ok)) steps.push({ name: String(error), ok: false });
    },
    /** Prints `<label>: N passed, N failed` and returns the exit code. */
    finish(label) {
      const failed = steps.filter((s) => !s.ok).length;
      console.log(`${label}: ${steps.length - failed} passed, ${failed} failed`);
      return failed === 0 && steps.length > 0 ? 0 : 1;
    },
  };
}
