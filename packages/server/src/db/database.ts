// The one database interface the store talks to, whatever the engine (PGlite or PostgreSQL).
// It runs parameterised SQL and transactions; it knows nothing about FHIR.

export type SqlValue = string | number | boolean | null | Date | SqlValue[] | readonly SqlValue[];

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
}

export interface Database extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}
