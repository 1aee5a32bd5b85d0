import { defineConfig } from 'vitest/config';

/** One vitest project per package and app, and the README's getting-started example: each has its own vitest.config.ts. */
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'examples/getting-started'],
    // The machine has 2 cores and tests start real threads and processes: keep file parallelism low.
    maxWorkers: 2,
  },
});
