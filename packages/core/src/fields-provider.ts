import { describeThrown } from './encode/json-value.ts';
import type { RecordEncoder } from './encode/record-encoder.ts';
import type { Fields } from './logger.ts';

/**
 * Fields providers: functions called on every enabled log call of this thread, whose fields the
 * record carries — for values that live in someone else's context, such as the active trace span
 * (`@tributary/otel`). Core knows nothing of where they come from.
 */

/** Returns the fields to add to the record being logged, or undefined for none. Should be cheap. */
export type FieldsProvider = () => Fields | undefined;

const providers: FieldsProvider[] = [];

/**
 * Adds a provider for this thread's loggers (each worker adds its own). Its fields are written
 * before the context's, the logger's bound fields and the call's, which all win over them. A
 * provider that throws does not stop the log call: the record gets `_fieldsProviderError` with the
 * error's text instead. Returns a function that removes the provider (idempotent). Throws a clear
 * error when `provider` is not a function.
 */
export function addFieldsProvider(provider: FieldsProvider): () => void {
  if (typeof provider !== 'function') throw new TypeError('addFieldsProvider: provider must be a function');
  providers.push(provider);
  return () => {
    const index = providers.indexOf(provider);
    if (index !== -1) providers.splice(index, 1);
  };
}

/** The providers' fields as `encoder` renders them; `''` when there are none. Never throws. */
export function providedFragment(encoder: RecordEncoder): string {
  if (providers.length === 0) return '';
  let fragment = '';
  for (const provider of providers) {
    try {
      const fields = provider();
      if (fields !== undefined && fields !== null) fragment += encoder.fieldsFragment(fields);
    } catch (thrown) {
      fragment += encoder.fieldsFragment({ _fieldsProviderError: describeThrown(thrown) });
    }
  }
  return fragment;
}
