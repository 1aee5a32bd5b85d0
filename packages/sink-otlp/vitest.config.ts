import { defineTributaryProject } from '../../tooling/vitest.shared.ts';

// The OpenTelemetry packages of the mapping test publish, under the `module` condition, ESM builds
// that Node cannot load (extensionless imports): this package's tests resolve without it.
const base = defineTributaryProject('sink-otlp');
const conditions = (base.resolve?.conditions ?? []).filter((condition) => condition !== 'module');

export default { ...base, resolve: { ...base.resolve, conditions }, ssr: { ...base.ssr, resolve: { ...base.ssr?.resolve, conditions } } };
