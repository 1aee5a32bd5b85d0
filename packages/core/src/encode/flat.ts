/** Keeps the result of {@link flat}'s read, so that no compiler can leave the read out. */
let flattened = 0;

/**
 * Returns `text` after making it one flat piece. Engines keep a concatenation as a tree of its parts
 * and flatten it when its characters are read; writing a line flattens the whole line, at a cost per
 * part. A part that goes into many lines is flattened once here instead of in every line.
 */
export function flat(text: string): string {
  flattened ^= text.charCodeAt(0);
  return text;
}
