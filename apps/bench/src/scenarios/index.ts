import type { Scenario } from '../scenario.ts';

/** Every scenario `npm run bench` knows, by name. Each lives in its own file in this folder. */
export const scenarios: readonly Scenario[] = [];
