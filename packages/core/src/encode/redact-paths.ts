/**
 * Redaction by path: a small tree of the configured paths, walked alongside the value being
 * rendered. Only the fields on a configured path pay for it; a renderer outside every path carries
 * no state at all.
 */

/** One step of the configured paths: the field names that continue them, and whether one ends here. */
export interface PathNode {
  /** A configured path ends at this field: its value is censored. */
  readonly ends: boolean;
  /** The paths that continue with a given field name (or array index, as a string). */
  readonly next: ReadonlyMap<string, PathNode>;
  /** The paths that continue with `*` (any one field name or index). */
  readonly any: PathNode | undefined;
}

/** Where the walk stands inside a value: the nodes still reachable, or undefined outside every path. */
export type PathPosition = readonly PathNode[] | undefined;

/** Where a field leads: censored, or the position inside its value. */
export interface PathStep {
  readonly censored: boolean;
  readonly inside: PathPosition;
}

/** The step of a field outside every path (shared: it holds no state). */
export const OUTSIDE: PathStep = Object.freeze({ censored: false, inside: undefined });

interface MutableNode {
  ends: boolean;
  next: Map<string, MutableNode>;
  any: MutableNode | undefined;
}

/**
 * The tree of `paths` (each dot-separated, e.g. `user.password` or `users.*.token`), checked at
 * configuration time: a bad path throws a TypeError naming it.
 */
export function pathTree(paths: readonly unknown[]): PathNode {
  const root: MutableNode = { ends: false, next: new Map(), any: undefined };
  for (const [index, path] of paths.entries()) {
    if (typeof path !== 'string' || path === '') throw new TypeError(`redact.paths[${index}] must be a non-empty string; got ${String(path)}`);
    const segments = path.split('.');
    if (segments.some((segment) => segment === '')) throw new TypeError(`redact.paths[${index}] has an empty field name: ${JSON.stringify(path)}`);
    let node = root;
    for (const segment of segments) {
      const existing = segment === '*' ? node.any : node.next.get(segment);
      const child = existing ?? { ends: false, next: new Map(), any: undefined };
      if (segment === '*') node.any = child;
      else node.next.set(segment, child);
      node = child;
    }
    node.ends = true;
  }
  return root;
}

/**
 * Where the field `name` (a key, or an array index) leads from `position`. Outside every path it
 * costs nothing: no state, and an index is not even turned into a string.
 */
export function stepInto(position: PathPosition, name: string | number): PathStep {
  if (position === undefined) return OUTSIDE;
  const key = String(name);
  let censored = false;
  let inside: PathNode[] | undefined;
  for (const node of position) {
    for (const child of [node.next.get(key), node.any]) {
      if (child === undefined) continue;
      if (child.ends) censored = true;
      if (child.next.size > 0 || child.any !== undefined) {
        inside ??= [];
        inside.push(child);
      }
    }
  }
  return censored ? { censored, inside: undefined } : inside === undefined ? OUTSIDE : { censored, inside };
}
