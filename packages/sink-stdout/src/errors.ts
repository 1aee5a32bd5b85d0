/**
 * Given once, by the write that found the reader gone (`EPIPE`, e.g. `app | head -1`). The sink then
 * discards every later record quietly and counts it in `stats.lostToClosedPipe`.
 */
export class PipeClosedError extends Error {
  override readonly name = 'PipeClosedError';
  /** A stable code for recognising this error across realms. */
  readonly code = 'TRIBUTARY_PIPE_CLOSED';
  /** Records of the failed write that did not get out. */
  readonly lost: number;

  constructor(sinkName: string, lost: number, cause: unknown) {
    super(
      `sink ${sinkName}: the reader closed the pipe (${errorCode(cause) ?? 'EPIPE'}); ${lost} records not written; ` +
        'later records are discarded and counted in stats.lostToClosedPipe',
      { cause },
    );
    this.lost = lost;
  }
}

/** The `code` of a runtime error, if it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
