import { escapeControl } from '@tributary/core/sink';
import type { Palette } from './palette.ts';

/** How much deeper each nested level of fields is indented. */
const STEP = '  ';
/** How much deeper than its error a stack trace is indented. */
const STACK_STEP = '    ';
/** Nesting beyond this is shown as one line of JSON (the encoder's own depth limit is lower). */
const MAX_NESTING = 32;

/** The keys of a serialized error that are not its own fields (see core's encoder). */
const ERROR_KEYS: ReadonlySet<string> = new Set(['name', 'message', 'stack', 'cause', 'errors']);

/** A serialized error as core's encoder writes it: `{name, message, stack, cause?, errors?, ...own fields}`. */
interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | null;
  readonly [key: string]: unknown;
}

/** True for an object in the shape core's encoder gives an Error. */
export function isSerializedError(value: unknown): value is SerializedError {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const error = value as Record<string, unknown>;
  return typeof error['name'] === 'string' && typeof error['message'] === 'string' && (typeof error['stack'] === 'string' || error['stack'] === null);
}

/** One line of JSON for any value, with every control character escaped. */
export function inlineValue(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  // JSON escapes C0 controls and quotes; escapeControl then handles DEL, C1 and U+2028/9.
  return escapeControl(json ?? String(value));
}

/**
 * Appends the lines of one field, `label: value`, at `indent`: an error as its title with its stack
 * as real lines and its cause, aggregate members and own fields nested under it; an object or an
 * array of objects as nested fields; anything else on the same line as JSON. Every line starts with
 * `indent` (never empty), so no line of a field can pass for a record's first line.
 */
export function appendField(out: string[], indent: string, label: string, value: unknown, palette: Palette, nesting = 0): void {
  const head = `${indent}${palette.key(`${label}:`)}`;
  if (nesting >= MAX_NESTING || value === null || typeof value !== 'object') {
    out.push(`${head} ${inlineValue(value)}`);
    return;
  }
  if (isSerializedError(value)) {
    out.push(`${head} ${palette.errorTitle(errorTitle(value))}`);
    appendErrorBody(out, indent, value, palette, nesting);
    return;
  }
  if (Array.isArray(value)) {
    if (!value.some((item) => item !== null && typeof item === 'object')) {
      out.push(`${head} ${inlineValue(value)}`);
      return;
    }
    out.push(head);
    value.forEach((item, index) => appendField(out, indent + STEP, `[${index}]`, item, palette, nesting + 1));
    return;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) {
    out.push(`${head} {}`);
    return;
  }
  out.push(head);
  for (const key of keys) appendField(out, indent + STEP, escapeControl(key), (value as Record<string, unknown>)[key], palette, nesting + 1);
}

/** `Name: message`, escaped. */
function errorTitle(error: SerializedError): string {
  const title = error.message === '' ? error.name : `${error.name}: ${error.message}`;
  return escapeControl(title);
}

/** The stack's frames, without the title line(s) the runtime put first (they repeat name and message). */
function stackFrames(error: SerializedError): string[] {
  let stack = error.stack;
  if (stack === null || stack === '') return [];
  const title = error.message === '' ? error.name : `${error.name}: ${error.message}`;
  if (stack.startsWith(title)) stack = stack.slice(title.length);
  else {
    // A name changed after the error was made: the stack still starts with the old one.
    const at = error.message === '' ? -1 : stack.indexOf(`: ${error.message}`);
    if (at >= 0 && !stack.slice(0, at).includes('\n')) stack = stack.slice(at + 2 + error.message.length);
  }
  return stack
    .split(/\r?\n/)
    .map((line) => line.replace(/^[ \t]+|[ \t]+$/g, '')) // the frames' own indentation; anything else stays, escaped
    .filter((line) => line !== '');
}

function appendErrorBody(out: string[], indent: string, error: SerializedError, palette: Palette, nesting: number): void {
  for (const frame of stackFrames(error)) out.push(`${indent}${STACK_STEP}${palette.stackLine(escapeControl(frame))}`);
  const inner = indent + STEP;
  if ('errors' in error) appendField(out, inner, 'errors', error['errors'], palette, nesting + 1);
  if ('cause' in error) appendField(out, inner, 'cause', error['cause'], palette, nesting + 1);
  for (const key of Object.keys(error)) {
    if (!ERROR_KEYS.has(key)) appendField(out, inner, escapeControl(key), error[key], palette, nesting + 1);
  }
}
