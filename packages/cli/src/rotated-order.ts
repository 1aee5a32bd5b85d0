/**
 * Puts the files of a rotated set in the order they were written, oldest first, by the names
 * `@tributary/sink-rotating-file` (and logrotate) give them:
 * - numbered: `app.log.3.gz`, `app.log.2`, `app.log.1` — a higher number is older;
 * - dated: `app.log-20261126`, then `app.log-20261126.1`, `.2` for later parts of that interval
 *   (`app.log-2026112623` hourly) — an earlier date is older, then a higher part is newer;
 * - `app.log`, the current file, last.
 * Files of one set are put together where the first of them was given; other files keep their place.
 */
export function orderRotatedSets(paths: readonly string[]): string[] {
  const named = paths.map((path, index) => ({ path, index, ...rotationName(path) }));
  const groups = new Map<string, typeof named>();
  for (const file of named) {
    const group = groups.get(file.base);
    if (group === undefined) groups.set(file.base, [file]);
    else group.push(file);
  }
  const ordered: string[] = [];
  for (const group of groups.values()) {
    group.sort((a, b) => compareKeys(a.key, b.key) || a.index - b.index);
    for (const file of group) ordered.push(file.path);
  }
  return ordered;
}

/** Where a file stands in its set: compared element by element, smaller is older. */
type OrderKey = readonly number[];

const NUMBERED = /^(.+)\.(\d+)(\.gz)?$/;
const DATED = /^(.+)-(\d{8}|\d{10})(?:\.(\d+))?(\.gz)?$/;

/** The set a file belongs to (its current file's path) and its place in it. */
function rotationName(path: string): { base: string; key: OrderKey } {
  const dated = DATED.exec(path);
  if (dated !== null) {
    // Daily and hourly names compare as hours: 20261126 → 2026112600.
    const stamp = Number((dated[2] as string).padEnd(10, '0'));
    return { base: dated[1] as string, key: [0, stamp, Number(dated[3] ?? 0)] };
  }
  const numbered = NUMBERED.exec(path);
  if (numbered !== null) return { base: numbered[1] as string, key: [1, -Number(numbered[2])] };
  return { base: path.endsWith('.gz') ? path.slice(0, -3) : path, key: [2] };
}

function compareKeys(a: OrderKey, b: OrderKey): number {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
