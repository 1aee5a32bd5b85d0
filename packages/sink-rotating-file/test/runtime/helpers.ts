import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { splitLines } from '@tributary/core/testing';

/** A fresh temporary folder. */
export function tempDir(): string {
  return fs.mkdtempSync(join(tmpdir(), 'tributary-rotating-'));
}

/** Runs `body` in a fresh temporary folder (and its `app.log` path), then removes the folder. */
export async function inDir(body: (dir: string, path: string) => Promise<void>): Promise<void> {
  const dir = tempDir();
  try {
    await body(dir, join(dir, 'app.log'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The lines of a file, gunzipped if its name ends in `.gz`. */
export function fileLines(path: string): string[] {
  const bytes = fs.readFileSync(path);
  return splitLines((path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8'));
}

/** Numbered files oldest first: `app.log.N` … `app.log.1`, then `app.log`. */
export function numberedFiles(dir: string, base = 'app.log'): string[] {
  const pattern = new RegExp(`^${base.replace('.', '\\.')}\\.(\\d+)(\\.gz)?$`);
  const backups = fs
    .readdirSync(dir)
    .map((name) => ({ name, match: pattern.exec(name) }))
    .filter((item) => item.match !== null)
    .sort((a, b) => Number(b.match?.[1]) - Number(a.match?.[1]))
    .map((item) => join(dir, item.name));
  const current = join(dir, base);
  return fs.existsSync(current) ? [...backups, current] : backups;
}

/** Every line across files, in the order given. */
export function linesAcross(paths: readonly string[]): string[] {
  return paths.flatMap((path) => fileLines(path));
}

/** A clock tests move by hand. */
export function manualClock(start: number): { now: () => number; set(time: number): void } {
  let time = start;
  return {
    now: () => time,
    set: (next) => {
      time = next;
    },
  };
}
