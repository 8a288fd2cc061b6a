// Validation checks that need the terminology tables, as AsyncChecks for the write-path validator:
// every Coding of a loaded, complete code system must name a code it holds (structural → 400); an
// Encounter's principal diagnosis (rank 1) must be an ICD-10 code allowed as principal and for the
// patient's sex and age (business rule → 422). They read, never write.
import type { AsyncCheck, ValidationIssue } from '@hoso/fhir/validator';
import type { Queryable } from '../db/database.ts';
import { cachedCodeSystem } from './code-system-cache.ts';
import { findCodeSystem, findConcept } from './concept-store.ts';
import { codeKey } from './keys.ts';
import { ICD10_URL } from './loaders/icd10-vn.ts';
import type { ConceptRow } from './model.ts';
import { ageAllowed, codingsIn, principalDiagnoses, referenceId } from './rules.ts';

type Json = Record<string, unknown>;

/** Where the checks read: the write's transaction, and the other resources of the same Bundle. */
export interface CheckContext {
  db: Queryable;
  batch: readonly Json[];
  /**
   * The database the transaction belongs to: the key under which writes share code system headers
   * across transactions in the in-process cache (code-system-cache.ts: 2 s, emptied by an import in
   * this process) — per database, so two databases in one process never see each other's ids.
   * Misses are read through the write's transaction.
   */
  database: Queryable;
}

const error = (code: string, diagnostics: string, expression: string): ValidationIssue => ({
  severity: 'error',
  code,
  diagnostics,
  expression: [expression],
});

const codeSystemHeader = (ctx: CheckContext, url: string) =>
  cachedCodeSystem(ctx.database, url, undefined, () => findCodeSystem(ctx.db, url));

/** Codings whose system is a loaded complete code system must use codes of that system. */
export function loadedCodesCheck(ctx: CheckContext): AsyncCheck {
  const systemsOf = async (urls: string[]) => {
    const found = [];
    for (const url of urls) {
      const header = await codeSystemHeader(ctx, url);
      if (header) found.push(header);
    }
    return found;
  };
  return {
    name: 'codes of loaded code systems',
    kind: 'structural',
    async check(resource) {
      const codings = codingsIn(resource);
      if (codings.length === 0) return [];
      const loaded = await systemsOf([...new Set(codings.map((c) => c.system))]);
      const complete = loaded.filter((r) => r.content === 'complete');
      if (complete.length === 0) return [];
      const bySystem = new Map(complete.map((r) => [r.url, r]));
      const asked = codings.filter((c) => bySystem.has(c.system) && c.version === undefined);
      if (asked.length === 0) return [];
      const rows = await ctx.db.query<{ cs: number; code: string }>(
        `SELECT c.cs, c.code FROM tx_concept c
         JOIN unnest($1::int[], $2::text[]) AS q(cs, k) ON c.cs = q.cs AND c.code_key = q.k`,
        [asked.map((c) => bySystem.get(c.system)!.id), asked.map((c) => codeKey(c.code))],
      );
      const have = new Set(rows.map((r) => `${r.cs}|${r.code}`));
      const haveFolded = new Set(rows.map((r) => `${r.cs}|${r.code.toLowerCase()}`));
      return asked
        .filter((c) => {
          const cs = bySystem.get(c.system)!;
          return cs.caseSensitive
            ? !have.has(`${cs.id}|${c.code}`)
            : !haveFolded.has(`${cs.id}|${c.code.toLowerCase()}`);
        })
        .map((c) =>
          error(
            'code-invalid',
            `'${c.code}' is not a code of ${c.system}`,
            `${String(resource.resourceType)}.${c.path}`,
          ),
        );
    },
  };
}

async function resolveResource(
  ctx: CheckContext,
  reference: unknown,
  type: string,
): Promise<Json | undefined> {
  const id = referenceId(reference, type);
  if (!id) return undefined;
  const local = ctx.batch.find((r) => r.resourceType === type && r.id === id);
  if (local) return local;
  const rows = await ctx.db.query<{ content: string }>(
    'SELECT content FROM resource WHERE type = $1 AND id = $2 AND NOT deleted',
    [type, id],
  );
  return rows[0] ? (JSON.parse(rows[0].content) as Json) : undefined;
}

function ruleProblems(concept: ConceptRow, patient: Json | undefined, on: string): string[] {
  const label = `${concept.code} "${concept.display ?? ''}"`;
  if (concept.abstract) return [`${label} is a chapter or block of ICD-10, not a diagnosis code`];
  const out: string[] = [];
  for (const p of concept.properties) {
    if (p.code === 'not-principal' && p.valueBoolean === true) {
      out.push(
        `${label} may not be the principal diagnosis (QĐ 4469, appendix A2); code the underlying disease first`,
      );
    }
    const gender = patient?.gender;
    if (p.code === 'sex' && (gender === 'male' || gender === 'female') && gender !== p.valueCode) {
      out.push(`${label} applies only to ${String(p.valueCode)} patients; the patient is ${gender}`);
    }
    const birthDate = patient?.birthDate;
    if (p.code === 'age-range' && typeof birthDate === 'string' && typeof p.valueString === 'string') {
      if (!ageAllowed(p.valueString, birthDate, on)) {
        out.push(
          `${label} is allowed only for ages ${p.valueString} (d = days, a = years); the patient was born ${birthDate}`,
        );
      }
    }
  }
  return out;
}

/** An Encounter's principal diagnosis must be a valid ICD-10 code allowed for this patient. */
export function principalDiagnosisCheck(ctx: CheckContext): AsyncCheck {
  return {
    name: 'principal diagnosis (ICD-10 rules of QĐ 4469)',
    kind: 'business',
    async check(resource) {
      if (resource.resourceType !== 'Encounter') return [];
      const principals = principalDiagnoses(resource);
      if (principals.length === 0) return [];
      const icd = await codeSystemHeader(ctx, ICD10_URL);
      if (!icd) return [];
      const patient = await resolveResource(
        ctx,
        (resource.subject as Json | undefined)?.reference,
        'Patient',
      );
      const period = resource.period as { start?: string } | undefined;
      const on = period?.start ?? new Date().toISOString();
      const issues: ValidationIssue[] = [];
      for (const { index, reference } of principals) {
        const where = `Encounter.diagnosis[${index}].condition`;
        const condition = await resolveResource(ctx, reference, 'Condition');
        if (!condition) continue;
        const coding = ((condition.code as { coding?: Json[] } | undefined)?.coding ?? []).find(
          (c) => c.system === ICD10_URL && typeof c.code === 'string',
        );
        if (!coding) {
          issues.push(
            error('business-rule', 'the principal diagnosis (rank 1) must be coded with ICD-10', where),
          );
          continue;
        }
        const concept = await findConcept(ctx.db, icd, coding.code as string);
        if (!concept) {
          if (icd.content === 'complete') {
            issues.push(
              error('code-invalid', `'${String(coding.code)}' is not an ICD-10 code (QĐ 4469)`, where),
            );
          }
          continue;
        }
        for (const problem of ruleProblems(concept, patient, on)) {
          issues.push(error('business-rule', `principal diagnosis: ${problem}`, where));
        }
      }
      return issues;
    },
  };
}

/** The terminology checks for one validation. */
export const terminologyChecks = (ctx: CheckContext): AsyncCheck[] => [
  loadedCodesCheck(ctx),
  principalDiagnosisCheck(ctx),
];
