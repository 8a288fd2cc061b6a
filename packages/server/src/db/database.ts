// The one database interface the store talks to, whatever the engine (PGlite or PostgreSQL).
// It runs parameterised SQL and transactions; it knows nothing about FHIR.

export type SqlValue = string | number | boolean | null | Date | SqlValue[] | readonly SqlValue[];

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /**
   * Bulk-loads rows in COPY text format (tab-separated columns, `\N` for NULL, one line a row)
   * into `target` (a table, optionally with a column list): `COPY target FROM STDIN (options)`.
   * Both engines implement it; optional only so that wrappers of `query` stay valid.
   */
  copyFrom?(target: string, data: CopyData, options?: string): Promise<void>;
}

/** COPY text-format data: chunks of whole or partial lines. */
export type CopyData = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface Database extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}
