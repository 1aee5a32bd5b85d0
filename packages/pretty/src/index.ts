/** @tributary/pretty: a formatter for reading Tributary records as they happen, in colour. */
export { prettyFormatter } from './pretty-formatter.ts';
export type { PrettyFormatter } from './pretty-formatter.ts';
export type { PrettyFormatterOptions, PrettyTimeStyle } from './options.ts';
