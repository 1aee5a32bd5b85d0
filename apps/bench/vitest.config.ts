import { defineTributaryProject } from '../../tooling/vitest.shared.ts';

// The OpenTelemetry packages of the otlp scenario publish, under the `module` condition, ESM builds
// that Node cannot load (extensionless imports): the bench's tests resolve without it, as Node does.
const base = defineTributaryProject('bench');
const conditions = (base.resolve?.conditions ?? []).filter((condition) => condition !== 'module');

export default { ...base, resolve: { ...base.resolve, conditions }, ssr: { ...base.ssr, resolve: { ...base.ssr?.resolve, conditions } } };
