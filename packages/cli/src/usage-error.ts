/** A bad command line or an input that cannot be read: reported in one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The exit code for a {@link UsageError}. */
export const USAGE_EXIT_CODE = 2;
