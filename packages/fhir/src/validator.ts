// Validation of FHIR R4 resources against the base specification, for every write and $validate.
// `validateResource` is the synchronous, pure structural check (names, types, cardinality,
// primitives, required bindings, references, core and selected invariants — see ./validator/);
// `validateResourceAsync` adds checks that need I/O (terminology) or encode business rules.
// Issue kinds decide the HTTP status: structural problems (including terminology) are 400, business
// rules 422 (`httpStatusFor`). Profiles in meta.profile and unknown extension URLs are never a
// reason to reject: only the base specification is enforced here. No I/O, no storage concerns.
import { DEFAULT_LIMITS, Walker, type ValidationIssue, type ValidationLimits } from './validator/walker.ts';

export { DEFAULT_LIMITS, type ValidationIssue, type ValidationLimits } from './validator/walker.ts';

/** Validates one parsed JSON resource; returns every problem found (empty when valid). */
export function validateResource(
  resource: unknown,
  limits: ValidationLimits = DEFAULT_LIMITS,
): ValidationIssue[] {
  const walker = new Walker(limits);
  walker.root(resource);
  return walker.issues;
}

/** True if any issue is an error (warnings and information do not block a write). */
export function hasErrors(issues: readonly ValidationIssue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

/** `structural`: the resource is not valid FHIR (400). `business`: a rule of ours refuses it (422). */
export type CheckKind = 'structural' | 'business';

/** An asynchronous check (terminology lookup, business rule) run after the structural check. */
export interface AsyncCheck {
  name: string;
  kind: CheckKind;
  /** Receives a structurally valid resource; returns its issues (empty when satisfied). */
  check(resource: Readonly<Record<string, unknown>>): Promise<ValidationIssue[]>;
}

export interface ValidationReport {
  structural: ValidationIssue[];
  business: ValidationIssue[];
}

/**
 * Runs `validateResource`, then — only if it found no errors, since checks may rely on the shape —
 * every async check concurrently, merging their issues by kind. A check that throws is a bug in
 * that check: the rejection propagates (the server answers 500), it is never turned into an issue.
 */
export async function validateResourceAsync(
  resource: unknown,
  checks: readonly AsyncCheck[],
  limits: ValidationLimits = DEFAULT_LIMITS,
): Promise<ValidationReport> {
  const report: ValidationReport = { structural: validateResource(resource, limits), business: [] };
  if (hasErrors(report.structural) || checks.length === 0) return report;
  const results = await Promise.all(checks.map((c) => c.check(resource as Record<string, unknown>)));
  checks.forEach((c, i) => report[c.kind].push(...(results[i] ?? [])));
  return report;
}

/** The status a write gets: 400 for structural errors, else 422 for business errors, else 200. */
export function httpStatusFor(report: ValidationReport): 200 | 400 | 422 {
  if (hasErrors(report.structural)) return 400;
  return hasErrors(report.business) ? 422 : 200;
}
