import { defineTributaryProject } from '../../tooling/vitest.shared.ts';

const project = defineTributaryProject('otel');
// @opentelemetry/api's `module` build has extension-less imports that Node cannot load: resolve
// packages as Node does (without the bundlers' `module` condition).
const conditions = ['@tributary/source', 'node', 'development|production'];

export default { ...project, resolve: { conditions }, ssr: { resolve: { conditions } } };
