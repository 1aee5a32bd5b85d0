#!/usr/bin/env node
/**
 * Checks the relative links of the repository's Markdown, so that what a reader follows exists:
 *
 * - `packages/<name>/README.md` (every package, found by listing `packages/`): that README is also
 *   the package's page on npm and on JSR, where only files inside the package folder can be reached.
 *   A relative link must stay inside the package folder and point to a file or folder that exists.
 *   A link to another part of the repository is an error: link the other package's npm page
 *   (`https://www.npmjs.com/package/@tributary/<name>`) or name the file in plain text.
 * - the root `README.md` and `docs/*.md`: a relative link must point to a file or folder that exists.
 *
 * Links inside fenced code blocks and inline code are ignored; `#anchor`-only links, absolute URLs
 * (`https:`, `mailto:` …) are not checked.
 *
 *   node tooling/check-links/check.mjs           checks; exits 1 with one line per bad link
 *   node tooling/check-links/check.mjs --root D  checks the repository at D (to try it on a copy)
 *
 * No dependencies: Node's own modules only.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { root: { type: 'string' } } });
const root = resolve(values.root ?? join(import.meta.dirname, '../..'));

/**
 * The link targets of one Markdown text, with their line numbers: inline links and images
 * `[text](target "title")`, `<target>` forms, and reference definitions `[label]: target`.
 */
export function linkTargets(markdown) {
  const targets = [];
  let fence;
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch !== null) {
      const marker = fenceMatch[1];
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const text = line.replace(/(`+)[^`]*?\1/g, (code) => ' '.repeat(code.length));
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/.exec(text);
    if (definition !== null) targets.push({ target: definition[1], line: index + 1 });
    for (const match of text.matchAll(/\]\(\s*(<[^>]*>|[^\s)]+)/g)) {
      targets.push({ target: match[1].replace(/^<|>$/g, ''), line: index + 1 });
    }
  }
  return targets;
}

/** True for a target that is not a relative path: an anchor, or a URL with a scheme. */
function isExternal(target) {
  return target === '' || target.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');
}

/** The path part of a relative target (without `#anchor` or `?query`), decoded. */
function pathOf(target) {
  const path = target.replace(/[#?].*$/, '');
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Checks one Markdown file; `boundary`, when given, is the folder its relative links must stay in. */
function checkFile(file, boundary) {
  const problems = [];
  const shown = relative(root, file);
  for (const { target, line } of linkTargets(readFileSync(file, 'utf8'))) {
    if (isExternal(target)) continue;
    const path = pathOf(target);
    if (path === '') continue;
    if (boundary !== undefined && path.startsWith('/')) {
      problems.push(`${shown}:${line}: ${target}: an absolute path does not work on the npm page; link inside the package folder`);
      continue;
    }
    const resolved = path.startsWith('/') ? join(root, path) : resolve(dirname(file), path);
    if (boundary !== undefined && resolved !== boundary && !resolved.startsWith(boundary + sep)) {
      problems.push(
        `${shown}:${line}: ${target} leaves the package folder, which the npm page cannot reach; link https://www.npmjs.com/package/<name> or name the file in plain text`,
      );
      continue;
    }
    if (!existsSync(resolved)) problems.push(`${shown}:${line}: ${target}: no such file (${relative(root, resolved)})`);
  }
  return problems;
}

function markdownIn(folder) {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => join(folder, entry.name))
    .sort();
}

const problems = [];
let files = 0;
const packagesDir = join(root, 'packages');
if (existsSync(packagesDir)) {
  for (const entry of readdirSync(packagesDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const readme = join(packagesDir, entry.name, 'README.md');
    if (!entry.isDirectory() || !existsSync(readme)) continue;
    files += 1;
    problems.push(...checkFile(readme, join(packagesDir, entry.name)));
  }
}
for (const file of [join(root, 'README.md'), ...markdownIn(join(root, 'docs'))]) {
  if (!existsSync(file)) continue;
  files += 1;
  problems.push(...checkFile(file, undefined));
}

if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  console.error(`check-links: ${problems.length} bad link${problems.length === 1 ? '' : 's'} in ${files} files`);
  process.exit(1);
}
console.log(`check-links: ${files} files, every relative link resolves (package READMEs stay inside their package)`);
