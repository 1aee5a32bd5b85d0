/**
 * How `changeset version` writes a CHANGELOG entry (`"changelog"` in config.json). The CHANGELOG is the
 * release notes, so an entry is the changeset's text as it is: no commit hash in front of it (that is
 * for the repository's history), and one line naming the versions of the other `@tributary/*`
 * packages it goes with instead of a line per changeset that moved them.
 */

/** One changeset's text as a Markdown list item; its later lines and paragraphs are indented under it. */
async function getReleaseLine(changeset) {
  const [firstLine, ...laterLines] = changeset.summary.split('\n').map((line) => line.trimEnd());
  const indented = laterLines.map((line) => (line === '' ? '' : `  ${line}`));
  return [`- ${firstLine}`, ...indented].join('\n');
}

/** The versions of the workspace packages this one depends on that move with this release. */
async function getDependencyReleaseLine(_changesets, dependenciesUpdated) {
  if (dependenciesUpdated.length === 0) return '';
  const versions = dependenciesUpdated.map((dependency) => `\`${dependency.name}@${dependency.newVersion}\``).join(', ');
  return `- Goes with ${versions} (every \`@tributary/*\` package has the same version).`;
}

module.exports = { getReleaseLine, getDependencyReleaseLine };
