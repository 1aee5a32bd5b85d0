/**
 * Shared vitest settings for every package: tests import sibling packages from their `src` through the
 * `@tributary/source` export condition, so no build is needed for in-process tests. Code that runs in
 * another thread, process or runtime (fixtures) imports the built `dist` instead.
 */
import { defineProject } from 'vitest/config';
import type { UserWorkspaceConfig } from 'vitest/config';

const conditions = ['@tributary/source', 'module', 'node', 'development|production'];

export function defineTributaryProject(name: string): UserWorkspaceConfig {
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      name,
      include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  });
}
