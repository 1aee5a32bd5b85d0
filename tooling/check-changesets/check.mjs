#!/usr/bin/env node
/**
 * Checks the pending changesets (`.changeset/*.md`), so that a broken one fails CI instead of
 * `changeset version` on release day:
 *
 * - every package a changeset names exists in `packages/` and is published (not `"private": true`);
 * - every changeset parses (front matter, bump types `patch`, `minor`, `major` or `none`) and says something;
 * - the release they make together takes no package to a new major version unless a changeset asks
 *   for `major`. In 0.x this is the trap of changesets 2: a `minor` bump of `@tributary/core` leaves
 *   the other packages' `^0.x` peer ranges, changesets then bumps every peer dependent as major, and
 *   the fixed group releases everything as 1.0.0 (see .changeset/README.md).
 *
 *   node tooling/check-changesets/check.mjs           checks; exits 1 with one line per problem
 *   node tooling/check-changesets/check.mjs --root D  checks the repository at D (to try it on a copy)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import getReleasePlanModule from '@changesets/get-release-plan';
import parseChangesetModule from '@changesets/parse';

// Both are CommonJS packages whose default export arrives wrapped when imported from ESM.
const getReleasePlan = getReleasePlanModule.default ?? getReleasePlanModule;
const parseChangeset = parseChangesetModule.default ?? parseChangesetModule;

const { values } = parseArgs({ options: { root: { type: 'string' } } });
const root = resolve(values.root ?? join(import.meta.dirname, '../..'));

/** Every workspace package under `packages/`, by name: whether it is private. */
function workspacePackages() {
  const packages = new Map();
  const packagesDir = join(root, 'packages');
  for (const folder of readdirSync(packagesDir).sort()) {
    const manifestPath = join(packagesDir, folder, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    packages.set(manifest.name, { private: manifest.private === true, version: manifest.version });
  }
  return packages;
}

/** Private packages elsewhere in the workspaces (apps, tooling), named in the message when a changeset picks one. */
function privateWorkspaceNames() {
  const names = new Set();
  for (const area of ['apps', 'tooling']) {
    const areaDir = join(root, area);
    if (!existsSync(areaDir)) continue;
    for (const folder of readdirSync(areaDir)) {
      const manifestPath = join(areaDir, folder, 'package.json');
      if (existsSync(manifestPath)) names.add(JSON.parse(readFileSync(manifestPath, 'utf8')).name);
    }
  }
  return names;
}

/** The changeset files as changesets reads them (every `.md` in `.changeset/` but its README), each parsed on its own. */
function readChangesets(problems) {
  const changesetDir = join(root, '.changeset');
  const changesets = [];
  for (const name of readdirSync(changesetDir).sort()) {
    if (!name.endsWith('.md') || name === 'README.md') continue;
    const file = `.changeset/${name}`;
    try {
      changesets.push({ file, ...parseChangeset(readFileSync(join(changesetDir, name), 'utf8')) });
    } catch (error) {
      problems.push(`${file}: ${error.message.split('\n').slice(0, 2).join(' ')}`);
    }
  }
  return changesets;
}

const problems = [];
const packages = workspacePackages();
const privateElsewhere = privateWorkspaceNames();
const changesets = readChangesets(problems);

for (const changeset of changesets) {
  const { file } = changeset;
  if (changeset.summary.trim() === '') problems.push(`${file}: says nothing (write what a user of the package needs to know)`);
  if (changeset.releases.length === 0) problems.push(`${file}: names no package`);
  for (const release of changeset.releases) {
    const found = packages.get(release.name);
    if (found === undefined) {
      const where = privateElsewhere.has(release.name) ? 'is a private app or tool, never published' : 'is not a package of this repository';
      problems.push(`${file}: ${JSON.stringify(release.name)} ${where}`);
    } else if (found.private) {
      problems.push(`${file}: ${JSON.stringify(release.name)} is private, never published`);
    }
  }
}

// The release plan is only meaningful (and changesets only computes it) once every name is valid.
if (problems.length === 0 && changesets.length > 0) {
  const plan = await getReleasePlan(root);
  const askedForMajor = changesets.some((changeset) => changeset.releases.some((release) => release.type === 'major'));
  const unplannedMajors = plan.releases.filter((release) => release.type === 'major' && !askedForMajor);
  if (unplannedMajors.length > 0) {
    const examples = unplannedMajors
      .slice(0, 3)
      .map((release) => `${release.name} ${release.oldVersion} → ${release.newVersion}`)
      .join(', ');
    problems.push(
      `the pending changesets would release ${unplannedMajors.length} package(s) as a new major version (${examples}${unplannedMajors.length > 3 ? ', …' : ''}) though no changeset asks for major: a minor bump of a 0.x package that others take as a peer dependency makes changesets bump them all as major; use patch (see .changeset/README.md)`,
    );
  }
}

if (problems.length > 0) {
  console.error(`check-changesets: ${problems.length} problem(s):`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`check-changesets: ${changesets.length} changeset(s), every package named is published, no unplanned major release`);
