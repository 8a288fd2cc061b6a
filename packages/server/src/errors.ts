// The error type every layer throws for a request it cannot honour, carrying its HTTP status and
// OperationOutcome issues. The HTTP layer turns it into a response; nothing else formats errors.

import { toOperationOutcome } from '@hoso/fhir/operation-outcome';
import type { Resource } from './store/model.ts';

export interface Issue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  code: string;
  diagnostics: string;
  expression?: string[];
}

export class FhirError extends Error {
  constructor(
    readonly status: number,
    readonly issues: Issue[],
  ) {
    super(issues.map((i) => i.diagnostics).join('; '));
  }

  static of(status: number, code: string, diagnostics: string, expression?: string[]): FhirError {
    return new FhirError(status, [
      { severity: 'error', code, diagnostics, ...(expression ? { expression } : {}) },
    ]);
  }
}

export const badRequest = (diagnostics: string, expression?: string[]) =>
  FhirError.of(400, 'invalid', diagnostics, expression);
export const notFound = (diagnostics: string) => FhirError.of(404, 'not-found', diagnostics);
export const preconditionFailed = (diagnostics: string) => FhirError.of(412, 'conflict', diagnostics);
export const conflict = (diagnostics: string) => FhirError.of(409, 'conflict', diagnostics);

/** The OperationOutcome for `issues` (one "no issues" information issue when empty). */
export const operationOutcome = (issues: readonly Issue[]): Resource => ({ ...toOperationOutcome(issues) });
