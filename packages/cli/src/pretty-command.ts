import type { Readable, Writable } from 'node:stream';
import { prettyFormatter } from '@tributary/pretty';
import { parseCommandLine } from './command-line.ts';
import { gunzipIfCompressed } from './gzip.ts';
import { InputFile, readStream } from './inputs.ts';
import type { LineConsumer } from './inputs.ts';
import { LinePrinter } from './line-printer.ts';
import { Output, OutputClosedError } from './output.ts';
import { recordFilter } from './record-filter.ts';
import { Stopper } from './stopper.ts';
import { UsageError } from './usage-error.ts';

/** How often `-f` looks for new lines, a rotation or a truncation, in milliseconds. */
const FOLLOW_POLL_INTERVAL_MS = 200;
/** The exit code when Ctrl-C stopped reading standard input before its end, or a second Ctrl-C stopped the command. */
export const INTERRUPTED_EXIT_CODE = 130;

export const PRETTY_USAGE = `Usage: tributary pretty [options] [FILE...]

Prints Tributary's JSON lines for people: one coloured line per record, fields and
error stacks indented below. Reads each FILE in turn (plain or gzipped, told apart by
their first bytes), or standard input when there is no FILE or FILE is "-". Lines
that are not JSON records are printed unchanged.

Options:
  -f, --follow           after the end of each plain FILE, keep printing what is
                         appended, across rotations (rename or copytruncate); Ctrl-C ends
  --level <name>         only records at this level or above
                         (trace, debug, info, warn, error, fatal; any case)
  --producer <id>        only records from this producer (repeat for more)
  --logger <name>        only records of this logger or its children (repeat for more)
  -h, --help             this help

Colours: on for a terminal; NO_COLOR=1 turns them off, FORCE_COLOR=1 on.
Example: node app.js | npx tributary pretty --level info`;

/** The standard streams the command uses. */
export interface CommandStreams {
  readonly stdin: Readable & { readonly isTTY?: boolean };
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** Runs `tributary pretty` with its arguments; resolves with the exit code. Throws {@link UsageError}. */
export async function runPretty(args: readonly string[], streams: CommandStreams): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    follow: { type: 'boolean', short: 'f' },
    level: { type: 'string' },
    producer: { type: 'string', multiple: true },
    logger: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help === true) {
    streams.stdout.write(`${PRETTY_USAGE}\n`);
    return 0;
  }
  const filter = recordFilter({ level: values.level, producers: values.producer, loggers: values.logger });
  const names = positionals.length === 0 ? ['-'] : positionals;
  if (names.filter((name) => name === '-').length > 1) throw new UsageError('standard input ("-") can be read only once');
  // Open every file first: a missing one is reported before anything is printed.
  const inputs: (InputFile | 'stdin')[] = [];
  try {
    for (const name of names) inputs.push(name === '-' ? 'stdin' : await InputFile.open(name));
  } catch (error) {
    for (const input of inputs) if (input !== 'stdin') await input.close();
    throw error;
  }

  const printer = new LinePrinter(prettyFormatter(), filter);
  const output = new Output(streams.stdout);
  const consume: LineConsumer = async (lines) => {
    let text = '';
    for (const line of lines) {
      const printed = printer.print(line);
      if (printed !== undefined) text += `${printed}\n`;
    }
    await output.write(text);
  };
  const note = (message: string): void => void streams.stderr.write(`tributary: ${message}\n`);

  const stopper = new Stopper();
  const onSigint = (): void => stopper.request();
  process.on('SIGINT', onSigint);
  const stdinIsTTY = streams.stdin.isTTY === true;
  let readingStdin = false;
  /** Set when Ctrl-C gave up on standard input before its end (a second one, or the first for a terminal). */
  let stdinAbandoned = false;
  let abandonStdin: () => void = () => {};
  const stdinGivenUp = new Promise<void>((resolve) => {
    abandonStdin = resolve;
  });
  const readStdin = async (): Promise<void> => {
    readingStdin = true;
    try {
      // A second Ctrl-C ends the read even where destroying standard input does not end a pending read (Deno).
      const reading = readStream(gunzipIfCompressed(streams.stdin), consume);
      reading.catch(() => {});
      await Promise.race([reading, stdinGivenUp]);
    } catch (error) {
      if (error instanceof OutputClosedError || stdinAbandoned) throw error;
      throw new UsageError(`cannot read standard input: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      readingStdin = false;
    }
  };
  const removeStopHook = stopper.onRequest(() => {
    if (!readingStdin) return;
    if (stopper.forced || stdinIsTTY) {
      stdinAbandoned = true;
      abandonStdin();
      streams.stdin.destroy();
    } else note('reading standard input to its end (the last records of the writer); Ctrl-C again to stop now');
  });
  try {
    if (values.follow === true) {
      // Every input at the same time: each plain file followed, standard input read to its end.
      const reads = inputs.map((input) => (input === 'stdin' ? readStdin() : input.follow(consume, stopper, FOLLOW_POLL_INTERVAL_MS, note)));
      // One input failing stops the others (so the command ends), then its error is the one reported.
      for (const read of reads) read.catch(() => stopper.request());
      const failure = (await Promise.allSettled(reads)).find((result) => result.status === 'rejected');
      if (failure !== undefined) throw failure.reason;
    } else {
      for (const input of inputs) {
        if (input === 'stdin') await readStdin();
        else if (stopper.stopped) await input.close();
        else await input.readOnce(consume, stopper);
      }
    }
    await output.end();
  } catch (error) {
    if (error instanceof OutputClosedError) return 0;
    if (stdinAbandoned || stopper.forced) return INTERRUPTED_EXIT_CODE;
    throw error;
  } finally {
    removeStopHook();
    process.off('SIGINT', onSigint);
  }
  return stdinAbandoned || stopper.forced ? INTERRUPTED_EXIT_CODE : 0;
}
