import { integerOption } from '@tributary/core/sink';
import { UsageError } from './usage-error.ts';

/** Bytes per unit: binary (KiB, MiB, GiB) and decimal (KB, MB, GB), in any case. */
const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
};

const SIZE = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i;

/**
 * A size such as `10MiB`, `512KiB`, `1.5GiB`, `100MB` or `1048576` (bytes), as a whole number of
 * bytes of at least `min`. Throws a {@link UsageError} naming `option` for anything else.
 */
export function parseSize(where: string, option: string, text: string, min: number): number {
  const match = SIZE.exec(text.trim());
  const unit = match === null ? undefined : UNITS[(match[2] as string).toLowerCase() || 'b'];
  const bytes = match === null || unit === undefined ? Number.NaN : Math.round(Number(match[1]) * unit);
  if (!Number.isSafeInteger(bytes) || bytes < min) {
    throw new UsageError(
      `${where}: ${option} must be a size of at least ${min} bytes such as 10MiB, 512KiB, 100MB or 1048576 (bytes); got ${JSON.stringify(text)}`,
    );
  }
  return bytes;
}

/**
 * A whole number within `bounds`, given as decimal digits, checked by the sink kit's validator (its
 * message format). Throws a {@link UsageError} naming `option`.
 */
export function parseCount(where: string, option: string, text: string, bounds: { readonly min: number; readonly max?: number }): number {
  try {
    return integerOption(where, option, /^\d+$/.test(text) ? Number(text) : text, { ...bounds, default: undefined }) as number;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
