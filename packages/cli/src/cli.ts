import { PRETTY_USAGE, runPretty } from './pretty-command.ts';
import type { CommandStreams } from './pretty-command.ts';
import { USAGE_EXIT_CODE, UsageError } from './usage-error.ts';

export const USAGE = `Usage: tributary <command> [options]

Commands:
  pretty [FILE...]   print Tributary's JSON lines for people (tributary pretty --help)

Example: node app.js | npx tributary pretty`;

/**
 * Runs the `tributary` command line with its arguments (without the program name); resolves with
 * the exit code: 0, 2 for a bad command line or an input that cannot be read (one line on stderr).
 */
export async function runCli(args: readonly string[], streams: CommandStreams): Promise<number> {
  const [command, ...rest] = args;
  try {
    if (command === undefined) {
      streams.stderr.write(`${USAGE}\n`);
      return USAGE_EXIT_CODE;
    }
    if (command === '-h' || command === '--help' || command === 'help') {
      streams.stdout.write(`${command === 'help' && rest[0] === 'pretty' ? PRETTY_USAGE : USAGE}\n`);
      return 0;
    }
    if (command === 'pretty') return await runPretty(rest, streams);
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const help = command === 'pretty' ? 'tributary pretty --help' : 'tributary --help';
    streams.stderr.write(`tributary: ${error.message}\nRun '${help}' for usage.\n`);
    return USAGE_EXIT_CODE;
  }
}
