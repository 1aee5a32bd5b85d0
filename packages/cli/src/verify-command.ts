import { LogChecker } from '@tributary/core';
import { parseCommandLine } from './command-line.ts';
import { gunzipIfCompressed } from './gzip.ts';
import { InputFile, readStream } from './inputs.ts';
import type { LineConsumer } from './inputs.ts';
import type { CommandStreams } from './pretty-command.ts';
import { orderRotatedSets } from './rotated-order.ts';
import { Stopper } from './stopper.ts';
import { UsageError } from './usage-error.ts';
import { verifyJson, verifyReport } from './verify-report.ts';

/** The exit code when a loss was not reported, or a record is torn, duplicated or out of order. */
export const VERIFY_FAILED_EXIT_CODE = 1;

export const VERIFY_USAGE = `Usage: tributary verify [options] FILE...

Checks Tributary JSON-lines output: every producer's sequence numbers (holes,
duplicates, order), torn lines, and which losses Tributary reported (tributary.lost,
tributary.dropped and the throttle's counts in the same output). The FILEs are read
as one output (plain or gzipped, told apart by their first bytes; "-" is standard
input); the files of a rotated set are put in order whatever order they are given
in: app.log.3.gz app.log.2 app.log.1 app.log, app.log-20261126.1 ... app.log.

Prints a table per producer and a summary. Exit status: 0 when every record was
written once and in order or its loss was reported; 1 for a loss nobody reported,
a torn line, a duplicate or a record out of order; 2 for a bad command line or a
file that cannot be read.

Options:
  --json                 print the result as one JSON object instead
  --partial              the files are not the whole output (older rotated files
                         were deleted): numbers below each producer's first one
                         are not counted as missing
  -h, --help             this help

Example: npx tributary verify /var/log/app/app.log*`;

/** Runs `tributary verify` with its arguments; resolves with the exit code. Throws {@link UsageError}. */
export async function runVerify(args: readonly string[], streams: CommandStreams): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    json: { type: 'boolean' },
    partial: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help === true) {
    streams.stdout.write(`${VERIFY_USAGE}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('verify needs at least one FILE ("-" for standard input)');
  if (positionals.filter((name) => name === '-').length > 1) throw new UsageError('standard input ("-") can be read only once');
  const names = orderRotatedSets(positionals);
  // Open every file first: a missing one is reported before anything is read.
  const inputs: (InputFile | 'stdin')[] = [];
  try {
    for (const name of names) inputs.push(name === '-' ? 'stdin' : await InputFile.open(name));
  } catch (error) {
    for (const input of inputs) if (input !== 'stdin') await input.close();
    throw error;
  }
  const checker = new LogChecker({ partial: values.partial === true });
  const consume: LineConsumer = async (lines) => {
    for (const line of lines) checker.add(line.endsWith('\r') ? line.slice(0, -1) : line);
  };
  const stopper = new Stopper();
  for (const input of inputs) {
    if (input !== 'stdin') {
      await input.readOnce(consume, stopper);
      continue;
    }
    try {
      await readStream(gunzipIfCompressed(streams.stdin), consume);
    } catch (error) {
      throw new UsageError(`cannot read standard input: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const result = checker.result();
  const shownNames = names.map((name) => (name === '-' ? 'standard input' : name));
  streams.stdout.write(values.json === true ? `${verifyJson(shownNames, result)}\n` : verifyReport(shownNames, result));
  return result.ok ? 0 : VERIFY_FAILED_EXIT_CODE;
}
