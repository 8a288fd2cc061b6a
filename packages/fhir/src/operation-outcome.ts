// Builds an R4 OperationOutcome from validation issues (for 4xx bodies, $validate and
// Prefer: return=OperationOutcome). Pure data mapping; it decides no status codes.
import type { ValidationIssue } from './validator.ts';

/** A validation issue, or any other problem a server reports (which may be fatal or have no location). */
export interface OutcomeIssue {
  severity: ValidationIssue['severity'] | 'fatal';
  code: string;
  diagnostics: string;
  expression?: readonly string[];
}

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: {
    severity: OutcomeIssue['severity'];
    code: string;
    diagnostics?: string;
    expression?: string[];
  }[];
}

/** One OperationOutcome.issue per issue; an "all OK" information issue when there are none. */
export function toOperationOutcome(issues: readonly OutcomeIssue[]): OperationOutcome {
  if (issues.length === 0) {
    return {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'information', code: 'informational', diagnostics: 'No issues detected' }],
    };
  }
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map(({ severity, code, diagnostics, expression }) =>
      expression && expression.length > 0
        ? { severity, code, diagnostics, expression: [...expression] }
        : { severity, code, diagnostics },
    ),
  };
}
