import { defineTributaryProject } from '../../tooling/vitest.shared.ts';

export default defineTributaryProject('getting-started');
