// The shape every checker in @hoso/vn reports problems in. Checkers report, they never fix.

export interface Finding {
  /** Stable machine-readable code, e.g. 'cccd-sex-mismatch'. */
  code: string;
  /** English explanation for logs and OperationOutcome diagnostics. */
  message: string;
}

/** The outcome of parsing: the value, or the findings that prevented it. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; findings: Finding[] };
