/** What the connection tells its sink when a connection comes back after an outage. */
export interface Outage {
  /** Milliseconds from the failure to the new connection. */
  readonly downMs: number;
  /** Connection attempts that failed during the outage. */
  readonly failedAttempts: number;
  /** The last error seen. */
  readonly error: string;
  /** Records written to the lost connection within its last `unconfirmedWindowBytes`: they may not have arrived. */
  readonly unconfirmed: number;
  /** Records in writes the failure interrupted (handed to the socket, not reported written): sent again, so they may arrive twice. */
  readonly interrupted: number;
}

/** What the connection tells its sink as it happens. */
export interface StreamEvents {
  /** The connection was lost, or could not be made: once per outage, not per retry. */
  failed(error: Error): void;
  /** Records dropped from the back of the buffer because it was full while disconnected. */
  dropped(records: number): void;
  /** A connection opened after an outage (a lost connection, or a first one that needed retries). */
  reconnected(outage: Outage): void;
}
