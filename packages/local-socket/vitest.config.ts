import { defineTributaryProject } from '../../tooling/vitest.shared.ts';

export default defineTributaryProject('local-socket');
