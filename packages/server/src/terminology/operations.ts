// The FHIR terminology operations on the concept tables: $lookup, $expand, $validate-code,
// $translate and $subsumes. Each takes parsed inputs and answers a FHIR resource; HTTP and routing
// live in ./routes.ts. Errors are FhirErrors with OperationOutcome issues.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { FhirError, badRequest } from '../errors.ts';
import { composeCondition, displayOverrides } from './compose.ts';
import { SqlParams, childCodes, findCodeSystem, findConcept, toConcept } from './concept-store.ts';
import { subsumption } from './hierarchy.ts';
import { expansionPage } from './expansion-page.ts';
import { parseFilter } from './keys.ts';
import type { CodeSystemRow, ConceptRow } from './model.ts';
import { type CodeableConcept, type Coding, type OperationInput, parameters } from './parameters.ts';
import { type Json, resolveCompose } from './value-sets.ts';

const MAX_COUNT = 1000;

async function codeSystemOrFail(
  db: Queryable,
  url: string | undefined,
  version?: string,
): Promise<CodeSystemRow> {
  if (!url) throw badRequest('no code system named (system, url or coding.system)');
  const cs = await findCodeSystem(db, url, version);
  if (!cs) {
    throw FhirError.of(
      404,
      'not-found',
      `code system ${url}${version ? ` version ${version}` : ''} is not loaded on this server`,
    );
  }
  return cs;
}

/** The display in the requested language (a designation), else the concept's own display. */
function displayIn(concept: ConceptRow, cs: CodeSystemRow, language: string | undefined): string | undefined {
  const own = concept.display ?? undefined;
  if (!language) return own;
  const base = language.split(/[-_]/)[0]!.toLowerCase();
  if (typeof cs.resource.language === 'string' && cs.resource.language.toLowerCase().startsWith(base))
    return own;
  const d = concept.designations.find((x) => x.language?.toLowerCase().split(/[-_]/)[0] === base);
  return d?.value ?? own;
}

/** $lookup: a concept's display, designations, properties, parents and children. */
export async function lookup(db: Queryable, input: OperationInput, csFixed?: CodeSystemRow): Promise<Json> {
  const coding = input.coding('coding');
  const code = input.string('code') ?? coding?.code;
  if (!code) throw badRequest('$lookup needs a code (code and system, or coding)');
  const url = csFixed?.url ?? input.string('system') ?? coding?.system;
  if (!url) throw badRequest('no code system named (system, url or coding.system)');
  const cs = csFixed ?? (await codeSystemOrFail(db, url, input.string('version') ?? coding?.version));
  const concept = await findConcept(db, cs, code);
  if (!concept) {
    throw FhirError.of(
      404,
      'not-found',
      `code "${code}" is not in ${cs.url}${cs.version ? ` version ${cs.version}` : ''}`,
    );
  }
  const wanted = new Set(input.strings('property'));
  const want = (p: string) => wanted.size === 0 || wanted.has(p) || wanted.has('*');
  const children = wanted.has('child') || wanted.has('*') ? await childCodes(db, cs.id, concept.code) : [];
  const prop = (code: string, value: Json) => ({
    name: 'property',
    part: [{ name: 'code', valueCode: code }, value],
  });
  const name = (cs.resource.name ?? cs.resource.title ?? cs.url) as string;
  return parameters([
    { name: 'name', valueString: name },
    cs.version ? { name: 'version', valueString: cs.version } : undefined,
    { name: 'display', valueString: displayIn(concept, cs, input.string('displayLanguage')) ?? concept.code },
    concept.abstract && { name: 'abstract', valueBoolean: true },
    concept.definition ? { name: 'definition', valueString: concept.definition } : undefined,
    ...(want('designation') ? concept.designations : []).map((d) => ({
      name: 'designation',
      part: [
        d.language ? { name: 'language', valueCode: d.language } : undefined,
        d.use ? { name: 'use', valueCoding: d.use } : undefined,
        { name: 'value', valueString: d.value },
      ].filter(Boolean),
    })),
    want('inactive') && prop('inactive', { name: 'value', valueBoolean: concept.inactive }),
    ...(want('parent') ? concept.parents : []).map((p) => prop('parent', { name: 'value', valueCode: p })),
    ...children.map((c) => prop('child', { name: 'value', valueCode: c })),
    ...concept.properties
      .filter((p) => want(p.code))
      .map((p) => {
        const [key, value] = Object.entries(p).find(([k]) => k.startsWith('value')) ?? ['valueString', ''];
        return prop(p.code, { name: 'value', [key]: value });
      }),
  ]);
}

/** Expansion parameters echoed in expansion.parameter when the request gave them. */
const ECHOED: [string, string][] = [
  ['filter', 'valueString'],
  ['count', 'valueInteger'],
  ['offset', 'valueInteger'],
  ['activeOnly', 'valueBoolean'],
  ['excludeNested', 'valueBoolean'],
  ['excludeNotForUI', 'valueBoolean'],
  ['includeDesignations', 'valueBoolean'],
  ['displayLanguage', 'valueCode'],
];

/** $expand: a value set's concepts, filtered for type-ahead, ranked, paged with offset/count. */
export async function expand(db: Queryable, vs: Json, input: OperationInput): Promise<Json> {
  const count = input.integer('count', 0, MAX_COUNT) ?? 100;
  const offset = input.integer('offset', 0, 1_000_000) ?? 0;
  const filterText = input.string('filter');
  const activeOnly = input.boolean('activeOnly') ?? false;
  const excludeNotForUI = input.boolean('excludeNotForUI') ?? false;
  const language = input.string('displayLanguage');
  const compose = await resolveCompose(db, vs);
  const conditions: string[] = [];
  if (activeOnly) conditions.push('NOT c.inactive');
  if (excludeNotForUI) conditions.push('NOT c.abstract');
  const filter = filterText ? parseFilter(filterText) : undefined;
  const { rows, total } = await expansionPage(db, {
    compose,
    conditions,
    ...(filter ? { filter } : {}),
    count,
    offset,
  });
  const overrides = displayOverrides(compose);
  const contains = rows.map((r) => {
    const concept = toConcept(r as never);
    const cs = { resource: { language: r.language } } as unknown as CodeSystemRow;
    const display = overrides.get(`${r.url}|${concept.code}`) ?? displayIn(concept, cs, language);
    return {
      system: r.url,
      ...(concept.abstract ? { abstract: true } : {}),
      ...(concept.inactive ? { inactive: true } : {}),
      code: concept.code,
      ...(display ? { display } : {}),
    };
  });
  const { compose: _compose, text: _text, ...rest } = vs;
  const usedSystems = [
    ...new Set(compose.includes.flatMap((i) => (i.cs ? [`${i.cs.url}|${i.cs.version}`] : []))),
  ];
  return {
    ...rest,
    resourceType: 'ValueSet',
    expansion: {
      identifier: `urn:uuid:${randomUUID()}`,
      timestamp: new Date().toISOString(),
      ...(total === undefined ? {} : { total }),
      offset,
      parameter: [
        ...ECHOED.flatMap(([name, type]) => {
          const value = input.string(name);
          if (value === undefined) return [];
          const typed =
            type === 'valueInteger' ? Number(value) : type === 'valueBoolean' ? value === 'true' : value;
          return [{ name, [type]: typed }];
        }),
        ...usedSystems.map((s) => ({ name: 'used-codesystem', valueUri: s })),
      ],
      ...(contains.length ? { contains } : {}),
    },
  };
}

/** The codings a $validate-code call asks about: code+system, coding, or codeableConcept. */
function codingsOf(input: OperationInput, systemParam: string): { codings: Coding[]; cc?: CodeableConcept } {
  const cc = input.codeableConcept('codeableConcept');
  if (cc) return { codings: cc.coding ?? [], cc };
  const coding = input.coding('coding');
  if (coding) return { codings: [coding] };
  const code = input.string('code');
  if (!code) throw badRequest('$validate-code needs a code, coding or codeableConcept');
  const system = input.string(systemParam);
  const version = input.string('systemVersion') ?? input.string('version');
  const display = input.string('display');
  return {
    codings: [
      {
        code,
        ...(system ? { system } : {}),
        ...(version ? { version } : {}),
        ...(display ? { display } : {}),
      },
    ],
  };
}

interface Verdict {
  result: boolean;
  message?: string;
  display?: string;
  coding: Coding;
  cs?: CodeSystemRow;
}

function answer(v: Verdict, cc?: CodeableConcept): Json {
  return parameters([
    { name: 'result', valueBoolean: v.result },
    v.message && { name: 'message', valueString: v.message },
    v.display && { name: 'display', valueString: v.display },
    v.coding.code && { name: 'code', valueCode: v.coding.code },
    v.coding.system && { name: 'system', valueUri: v.coding.system },
    v.cs?.version && { name: 'version', valueString: v.cs.version },
    cc && { name: 'codeableConcept', valueCodeableConcept: cc },
  ]);
}

/** Checks one coding against its code system and, if given, a value set condition. */
async function verdictFor(
  db: Queryable,
  coding: Coding,
  inValueSet?: (cs: CodeSystemRow, code: string) => Promise<boolean>,
  vsUrl?: string,
): Promise<Verdict> {
  if (!coding.system) return { result: false, coding, message: 'the coding has no system' };
  const cs = await findCodeSystem(db, coding.system, coding.version);
  if (!cs) {
    return {
      result: false,
      coding,
      message: `code system ${coding.system}${coding.version ? ` version ${coding.version}` : ''} is not loaded on this server`,
    };
  }
  const concept = await findConcept(db, cs, coding.code ?? '');
  if (!concept) {
    return {
      result: false,
      coding,
      cs,
      message: `Unknown code '${coding.code}' in the CodeSystem '${cs.url}'${cs.version ? ` version '${cs.version}'` : ''}`,
    };
  }
  const display = concept.display ?? undefined;
  if (inValueSet && !(await inValueSet(cs, concept.code))) {
    return {
      result: false,
      coding,
      cs,
      display,
      message: `The provided code '${cs.url}#${concept.code}' was not found in the value set '${vsUrl}'`,
    };
  }
  if (coding.display) {
    const ok = [concept.display, ...concept.designations.map((d) => d.value)].some(
      (d) => d !== null && d !== undefined && d.toLowerCase() === coding.display!.toLowerCase(),
    );
    if (!ok) {
      return {
        result: false,
        coding,
        cs,
        display,
        message: `Wrong Display Name '${coding.display}' for ${cs.url}#${concept.code}. Valid display is '${display}'`,
      };
    }
  }
  return { result: true, coding, cs, display };
}

async function firstValid(codings: Coding[], check: (c: Coding) => Promise<Verdict>): Promise<Verdict> {
  let first: Verdict | undefined;
  for (const c of codings.slice(0, 20)) {
    const v = await check(c);
    if (v.result) return v;
    first ??= v;
  }
  return first ?? { result: false, coding: {}, message: 'no coding to validate' };
}

/** CodeSystem/$validate-code. */
export async function validateCodeInCodeSystem(
  db: Queryable,
  input: OperationInput,
  csFixed?: CodeSystemRow,
): Promise<Json> {
  const { codings, cc } = codingsOf(input, 'url');
  if (csFixed) for (const c of codings) c.system ??= csFixed.url;
  return answer(await firstValid(codings, (c) => verdictFor(db, c)), cc);
}

/** ValueSet/$validate-code. */
export async function validateCodeInValueSet(db: Queryable, vs: Json, input: OperationInput): Promise<Json> {
  const { codings, cc } = codingsOf(input, 'system');
  const compose = await resolveCompose(db, vs);
  const inValueSet = async (cs: CodeSystemRow, code: string) => {
    const p = new SqlParams();
    const cond = composeCondition(compose, p);
    const rows = await db.query(
      `SELECT 1 FROM tx_concept c WHERE c.cs = ${p.add(cs.id)} AND c.code = ${p.add(code)} AND ${cond} LIMIT 1`,
      p.values,
    );
    return rows.length > 0;
  };
  return answer(await firstValid(codings, (c) => verdictFor(db, c, inValueSet, String(vs.url))), cc);
}

/** CodeSystem/$subsumes: how concept A relates to concept B in one code system's hierarchy. */
export async function subsumes(db: Queryable, input: OperationInput, csFixed?: CodeSystemRow): Promise<Json> {
  const ca = input.coding('codingA');
  const cb = input.coding('codingB');
  const a = input.string('codeA') ?? ca?.code;
  const b = input.string('codeB') ?? cb?.code;
  if (!a || !b) throw badRequest('$subsumes needs codeA and codeB (or codingA and codingB)');
  const cs =
    csFixed ??
    (await codeSystemOrFail(db, input.string('system') ?? ca?.system ?? cb?.system, input.string('version')));
  const [conceptA, conceptB] = await Promise.all([findConcept(db, cs, a), findConcept(db, cs, b)]);
  for (const [code, concept] of [
    [a, conceptA],
    [b, conceptB],
  ] as const) {
    if (!concept) throw FhirError.of(404, 'not-found', `code "${code}" is not in ${cs.url}`);
  }
  return parameters([{ name: 'outcome', valueCode: subsumption(conceptA!, conceptB!) }]);
}

/** ConceptMap/$translate: the targets a source code maps to, in one map or in every loaded map. */
export async function translate(db: Queryable, input: OperationInput, mapId?: number): Promise<Json> {
  const coding = input.coding('coding') ?? input.codeableConcept('codeableConcept')?.coding?.[0];
  const code = input.string('code') ?? input.string('sourceCode') ?? coding?.code;
  const system = input.string('system') ?? input.string('sourceSystem') ?? coding?.system;
  if (!code) throw badRequest('$translate needs a code (code and system, or coding)');
  const p = new SqlParams();
  const conds = [`e.source_code = ${p.add(code)}`];
  if (system) conds.push(`(e.source_system IS NULL OR e.source_system = ${p.add(system)})`);
  if (mapId !== undefined) conds.push(`m.id = ${p.add(mapId)}`);
  const url = input.string('url');
  if (url) conds.push(`m.url = ${p.add(url)}`);
  const target = input.string('target') ?? input.string('targetScope');
  if (target) conds.push(`m.target = ${p.add(target)}`);
  const targetSystem = input.string('targetsystem') ?? input.string('targetSystem');
  if (targetSystem) conds.push(`e.target_system = ${p.add(targetSystem)}`);
  const rows = await db.query<{
    target_system: string | null;
    target_code: string | null;
    target_display: string | null;
    equivalence: string;
    url: string;
  }>(
    `SELECT e.target_system, e.target_code, e.target_display, e.equivalence, m.url
     FROM tx_map_element e JOIN tx_concept_map m ON m.id = e.map WHERE ${conds.join(' AND ')} LIMIT 100`,
    p.values,
  );
  const matches = rows.filter(
    (r) => r.target_code !== null && r.equivalence !== 'unmatched' && r.equivalence !== 'disjoint',
  );
  return parameters([
    { name: 'result', valueBoolean: matches.length > 0 },
    matches.length === 0 && { name: 'message', valueString: `no mapping found for code ${code}` },
    ...matches.map((r) => ({
      name: 'match',
      part: [
        { name: 'equivalence', valueCode: r.equivalence },
        {
          name: 'concept',
          valueCoding: {
            ...(r.target_system ? { system: r.target_system } : {}),
            code: r.target_code,
            ...(r.target_display ? { display: r.target_display } : {}),
          },
        },
        { name: 'source', valueUri: r.url },
      ],
    })),
  ]);
}
