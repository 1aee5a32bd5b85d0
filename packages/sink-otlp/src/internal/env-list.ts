/**
 * The `key1=value1,key2=value2` lists of `OTEL_EXPORTER_OTLP_HEADERS` and `OTEL_RESOURCE_ATTRIBUTES`:
 * keys and values trimmed, values percent-decoded; an entry without `=` or with an empty key is
 * skipped (a bad variable never stops the application).
 */
export function parseKeyValueList(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const entry of text.split(',')) {
    const equals = entry.indexOf('=');
    if (equals <= 0) continue;
    const key = entry.slice(0, equals).trim();
    if (key === '') continue;
    pairs.push([key, decode(entry.slice(equals + 1).trim())]);
  }
  return pairs;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
