// The structural walk behind validateResource: one pass over a parsed JSON resource against the R4
// element trees, collecting every problem with its FHIRPath location. It checks element names,
// JSON shapes, cardinality, primitives (./primitives.ts), required bindings, references, contained
// resources (dom-2..5, ref-1), narrative (txt-1/2), ele-1 and the invariants of ./invariants.ts.
// Built for the write path: no allocation per element beyond a path stack, paths are rendered only
// when an issue is reported, and limits on depth, array length and issue count bound hostile input.
// It must stay synchronous and pure (no I/O, no terminology server, no business rules).
import {
  getCoreConstraint,
  getElementTree,
  getPrimitive,
  getValueSet,
  isResourceType,
  type ConstraintModel,
  type ElementDefinition,
  type ElementTree,
  type JsonProperty,
} from '../definitions.ts';
import { invariants, type InvariantPredicate } from './invariants.ts';
import { checkPrimitive, compileFhirRegex } from './primitives.ts';

export interface ValidationIssue {
  severity: 'error' | 'warning' | 'information';
  /** OperationOutcome issue type: structure, required, value, code-invalid, invariant, too-long, … */
  code: string;
  diagnostics: string;
  /** FHIRPath locations, e.g. `Patient.name[0].given[1]`. */
  expression: string[];
}

/** Bounds that keep hostile input cheap: exceeding one is an issue, never a crash. */
export interface ValidationLimits {
  /** Maximum JSON object nesting depth (each object is a level; real resources rarely pass 15). */
  maxDepth: number;
  /** Maximum length of any array (Bundle.entry included). */
  maxArrayLength: number;
  /** Issues reported before the walk stops. */
  maxIssues: number;
}

export const DEFAULT_LIMITS: Readonly<ValidationLimits> = {
  maxDepth: 64,
  maxArrayLength: 10_000,
  maxIssues: 200,
};

type Json = Record<string, unknown>;
type Segment = string | number;

/** Reference bookkeeping for one independent resource (its contained resources share it). */
interface Scope {
  /** Ids named by `#id` (references, canonicals, uris), anywhere in the resource. */
  localTargets: Set<string>;
  /** `#id` references with their location, for ref-1. */
  localRefs: [id: string, expression: string][];
  /** Contained resources: id and location. */
  contained: [id: unknown, expression: string][];
  /** Indexes of contained resources that refer to their container with `#`. */
  refersToContainer: Set<number>;
  /** Index of the contained resource being walked, or -1. */
  inContained: number;
}

const newScope = (): Scope => ({
  localTargets: new Set(),
  localRefs: [],
  contained: [],
  refersToContainer: new Set(),
  inContained: -1,
});

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const ID = getPrimitive('id')?.regex ?? '';
const RELATIVE_REF = new RegExp(`^([A-Z][A-Za-z]+)/${ID}(?:/_history/${ID})?$`);
const CONDITIONAL_REF = /^([A-Z][A-Za-z]+)\?/;
const ABSOLUTE_REF = /^[A-Za-z][A-Za-z0-9+.-]*:[^ \t\n\r]+$/;
const ABSOLUTE_TAIL = new RegExp(`/([A-Z][A-Za-z]+)/${ID}(?:/_history/${ID})?$`);
const DIV_ROOT =
  /^[ \t\n\r]*<div\b[^>]*\bxmlns[ \t\n\r]*=[ \t\n\r]*(["'])http:\/\/www\.w3\.org\/1999\/xhtml\1/;
// Scripts, forms, frames, embedded objects, styles, and event-handler or javascript: attributes.
// Tag bodies are matched as [^<>]* so that unclosed '<' runs cannot cause quadratic backtracking.
const DIV_UNSAFE =
  /<[ \t\n\r]*\/?[ \t\n\r]*(script|iframe|frame|frameset|object|embed|applet|form|input|button|select|textarea|base|link|meta|head|body|style)\b|<[^<>]*([ \t\n\r/]on[a-z]+[ \t\n\r]*=|javascript:)/i;
const DIV_TAGS = /<[^<>]*>/g;
const UUID = compileFhirRegex(getPrimitive('uuid')?.regex ?? '');

const predicates = new WeakMap<readonly ConstraintModel[], [ConstraintModel, InvariantPredicate][]>();

/** The constraints of a list that have a predicate, resolved once per list. */
function implemented(
  location: string,
  constraints: readonly ConstraintModel[],
): [ConstraintModel, InvariantPredicate][] {
  let found = predicates.get(constraints);
  if (!found) {
    found = constraints.flatMap((c): [ConstraintModel, InvariantPredicate][] => {
      const predicate = invariants[`${location} ${c.key}`];
      return predicate ? [[c, predicate]] : [];
    });
    predicates.set(constraints, found);
  }
  return found;
}

function present(node: Json, names: readonly string[]): boolean {
  for (const n of names) if (node[n] !== undefined) return true;
  return false;
}

function renderPath(path: readonly Segment[], extra?: string): string {
  let out = '';
  for (const s of path) out += typeof s === 'number' ? `[${s}]` : out === '' ? s : `.${s}`;
  return extra === undefined ? out : out === '' ? extra : `${out}.${extra}`;
}

export class Walker {
  readonly issues: ValidationIssue[] = [];
  private readonly path: Segment[] = [];
  private depth = 0;
  private full = false;
  private scope: Scope = newScope();
  private resource: Json = {};
  private readonly elementTree: ElementTree;

  constructor(private readonly limits: ValidationLimits) {
    const tree = getElementTree('Element');
    if (!tree) throw new Error('the R4 model has no Element type');
    this.elementTree = tree;
  }

  /** Validates a top-level resource. */
  root(resource: unknown): void {
    if (!isObject(resource)) {
      this.report('error', 'structure', 'a resource must be a JSON object');
      return;
    }
    const type = this.resourceType(resource);
    if (type) this.independentResource(resource, type, type);
  }

  /** Adds an issue at the current path (plus `extra` steps), or at `at` when given. */
  private report(
    severity: ValidationIssue['severity'],
    code: string,
    diagnostics: string,
    extra?: string,
    at?: string,
  ): void {
    if (this.full) return;
    if (this.issues.length >= this.limits.maxIssues) {
      this.full = true;
      const diagnostics = `more than ${this.limits.maxIssues} issues; validation stopped`;
      this.issues.push({ severity: 'error', code: 'too-costly', diagnostics, expression: [] });
      return;
    }
    const where = at ?? renderPath(this.path, extra);
    this.issues.push({ severity, code, diagnostics, expression: where ? [where] : [] });
  }

  private reportConstraint(c: ConstraintModel): void {
    this.report(c.severity, 'invariant', `${c.key}: ${c.human}`);
  }

  private reportCore(key: string, detail: string, extra?: string, at?: string): void {
    const c = getCoreConstraint(key);
    this.report(c?.severity ?? 'error', 'invariant', `${key}: ${c?.human ?? ''} (${detail})`, extra, at);
  }

  /** Returns the resource's type if it is a known concrete R4 resource type, reporting otherwise. */
  private resourceType(resource: Json): string | undefined {
    const type = resource.resourceType;
    if (typeof type !== 'string') {
      this.report('error', 'structure', 'resourceType is missing or not a string');
      return undefined;
    }
    if (!isResourceType(type)) {
      this.report('error', 'not-supported', `'${type}' is not an R4 resource type`);
      return undefined;
    }
    return type;
  }

  /** A resource with its own reference scope: the root, a Bundle entry, a Parameters resource. */
  private independentResource(resource: Json, type: string, pathRoot?: string): void {
    const outer = this.scope;
    this.scope = newScope();
    if (pathRoot) this.path.push(pathRoot);
    this.resourceBody(resource, type);
    this.closeScope();
    if (pathRoot) this.path.pop();
    this.scope = outer;
  }

  private resourceBody(resource: Json, type: string): void {
    const tree = getElementTree(type);
    if (!tree) return;
    const outer = this.resource;
    this.resource = resource;
    this.object(resource, tree, true);
    this.resource = outer;
  }

  /** ref-1 and dom-3 once a resource and everything it contains has been walked. */
  private closeScope(): void {
    const { localRefs, localTargets, contained, refersToContainer } = this.scope;
    if (localRefs.length === 0 && contained.length === 0) return;
    const ids = new Set(contained.map(([id]) => id));
    for (const [id, expression] of localRefs) {
      if (!ids.has(id))
        this.reportCore('ref-1', `no contained resource has id '${id}'`, undefined, expression);
    }
    contained.forEach(([id, expression], i) => {
      if (typeof id !== 'string')
        this.reportCore('dom-3', 'a contained resource needs an id', undefined, expression);
      else if (!localTargets.has(id) && !refersToContainer.has(i)) {
        this.reportCore('dom-3', `nothing refers to '#${id}'`, undefined, expression);
      }
    });
  }

  private object(node: Json, tree: ElementTree, isResource: boolean): void {
    if (this.full) return;
    if (this.depth >= this.limits.maxDepth) {
      this.report('error', 'too-costly', `nesting deeper than ${this.limits.maxDepth} levels`);
      return;
    }
    this.depth++;
    const keys = Object.keys(node);
    let choices: JsonProperty[] | undefined;
    for (const key of keys) {
      if (isResource && key === 'resourceType') continue;
      const prop = tree.properties.get(key);
      if (!prop) {
        this.report('error', 'structure', `unknown element '${key}' in ${tree.path}`, key);
        continue;
      }
      const element = prop.element;
      this.path.push(prop.segment);
      if (element.max === 0) {
        this.report('error', 'structure', `${element.path} is not allowed here (max 0)`);
      } else if (element.isChoice && !prop.primitiveElement) {
        const other = choices?.find((c) => c.element === element && c.type !== prop.type);
        if (other)
          this.report(
            'error',
            'structure',
            `${element.path} has more than one type (${other.type}, ${prop.type})`,
          );
        (choices ??= []).push(prop);
      }
      if (prop.primitiveElement) {
        if (node[prop.pairKey] === undefined) this.primitive(prop, undefined, node[key]);
      } else if (prop.primitive) {
        this.primitive(prop, node[key], node[prop.pairKey]);
      } else {
        this.complex(prop, node[key]);
      }
      this.path.pop();
    }
    for (const element of tree.required) {
      if (!present(node, element.jsonNames)) {
        this.report(
          'error',
          'required',
          `${element.path} is required (min ${element.min})`,
          element.name.replace('[x]', ''),
        );
      }
    }
    // An id alone is no content (ele-1), except on a primitive's _name, where the value is the content.
    const idOnly = keys.length === 1 && keys[0] === 'id' && !isResource && tree !== this.elementTree;
    if (keys.length === 0 || idOnly) {
      this.reportCore('ele-1', keys.length === 0 ? 'empty object' : 'only an id');
    }
    if (tree.constraints.length > 0) this.invariants(tree.path, tree.constraints, node);
    this.depth--;
  }

  private invariants(location: string, constraints: readonly ConstraintModel[], node: Json): void {
    for (const [c, predicate] of implemented(location, constraints)) {
      if (!predicate(node, this.resource)) this.reportConstraint(c);
    }
  }

  private primitive(prop: JsonProperty, value: unknown, ext: unknown): void {
    const element = prop.element;
    if (!element.isArray) {
      if (Array.isArray(value) || Array.isArray(ext)) {
        this.report('error', 'structure', `${element.path} is a single value (max 1), not an array`);
        return;
      }
      if (value === null || ext === null) this.report('error', 'structure', 'null is not allowed here');
      if (value !== undefined && value !== null) this.primitiveValue(prop, value);
      if (ext !== undefined && ext !== null) this.primitiveElement(ext, value !== undefined);
      return;
    }
    if ((value !== undefined && !Array.isArray(value)) || (ext !== undefined && !Array.isArray(ext))) {
      this.report('error', 'structure', `${element.path} must be an array (max ${cardinality(element.max)})`);
      return;
    }
    const values = value as unknown[] | undefined;
    const exts = ext as unknown[] | undefined;
    if (values && exts && values.length !== exts.length) {
      this.report('error', 'structure', `${element.path} and its _${element.name} array differ in length`);
    }
    const n = Math.max(values?.length ?? 0, exts?.length ?? 0);
    if (!this.arrayLength(element, n)) return;
    for (let i = 0; i < n; i++) {
      const v = values?.[i];
      const e = exts?.[i];
      this.path.push(i);
      if ((v === undefined || v === null) && (e === undefined || e === null)) {
        this.report('error', 'structure', 'array item is null with no matching extension item');
      } else {
        if (v !== undefined && v !== null) this.primitiveValue(prop, v);
        if (e !== undefined && e !== null) this.primitiveElement(e, v !== undefined && v !== null);
      }
      this.path.pop();
    }
  }

  /** Checks an array's length against ele-1, the element's max and the limit; false to skip items. */
  private arrayLength(element: ElementDefinition, n: number): boolean {
    if (n === 0) {
      this.reportCore('ele-1', 'empty array');
      return false;
    }
    if (n > this.limits.maxArrayLength) {
      this.report(
        'error',
        'too-long',
        `array of ${n} items exceeds the limit of ${this.limits.maxArrayLength}`,
      );
      return false;
    }
    if (n > element.max)
      this.report('error', 'structure', `${element.path} allows at most ${element.max} items, got ${n}`);
    return true;
  }

  private primitiveElement(ext: unknown, hasValue: boolean): void {
    if (!isObject(ext)) {
      this.report('error', 'structure', 'a primitive extension (_name) must be a JSON object');
      return;
    }
    if (!hasValue && (ext.extension === undefined || ext.extension === null)) {
      this.reportCore('ele-1', 'a primitive with neither value nor extension');
    }
    this.object(ext, this.elementTree, false);
  }

  private primitiveValue(prop: JsonProperty, value: unknown): void {
    const problem = checkPrimitive(prop.type, value);
    if (problem) {
      this.report('error', problem.code, problem.message);
      return;
    }
    const binding = prop.element.binding;
    if (binding !== undefined && typeof value === 'string') {
      const vs = getValueSet(binding);
      if (vs && !vs.codes.has(value)) {
        this.report('error', 'code-invalid', `'${value}' is not in the required value set ${binding}`);
      }
    }
    if (prop.type === 'xhtml') this.narrative(value as string);
    else if (typeof value === 'string' && value.charCodeAt(0) === 35 /* # */ && prop.type !== 'string') {
      this.localTarget(value);
    }
  }

  private localTarget(ref: string): void {
    if (ref.length === 1) {
      if (this.scope.inContained >= 0) this.scope.refersToContainer.add(this.scope.inContained);
    } else {
      this.scope.localTargets.add(ref.slice(1));
    }
  }

  private narrative(div: string): void {
    if (!DIV_ROOT.test(div)) {
      this.reportCore('txt-1', 'the root must be <div xmlns="http://www.w3.org/1999/xhtml">');
    } else if (DIV_UNSAFE.test(div)) {
      this.reportCore(
        'txt-1',
        'scripts, forms, frames, objects, styles and event attributes are not allowed',
      );
    }
    if (!/[^ \t\n\r]/.test(div.replace(DIV_TAGS, '')) && !/<img\b/i.test(div)) {
      this.reportCore('txt-2', 'no text content');
    }
  }

  private complex(prop: JsonProperty, value: unknown): void {
    const element = prop.element;
    if (!element.isArray) {
      if (Array.isArray(value)) {
        this.report('error', 'structure', `${element.path} is a single value (max 1), not an array`);
      } else {
        this.complexValue(prop, value, -1);
      }
      return;
    }
    if (!Array.isArray(value)) {
      this.report('error', 'structure', `${element.path} must be an array (max ${cardinality(element.max)})`);
      return;
    }
    if (!this.arrayLength(element, value.length)) return;
    for (let i = 0; i < value.length; i++) {
      this.path.push(i);
      this.complexValue(prop, value[i], i);
      this.path.pop();
    }
  }

  private complexValue(prop: JsonProperty, value: unknown, index: number): void {
    const element = prop.element;
    if (!isObject(value)) {
      const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a JSON ${typeof value}`;
      this.report(
        'error',
        'structure',
        `${element.path} must be a JSON object (${prop.type || 'element'}), not ${what}`,
      );
      return;
    }
    if (prop.type === 'Resource') {
      this.nestedResource(element, value, index);
      return;
    }
    const tree = element.children ?? getElementTree(prop.type);
    if (!tree) return;
    this.object(value, tree, false);
    if (!element.children && element.constraints.length > 0)
      this.invariants(element.path, element.constraints, value);
    if (prop.type === 'Reference') this.reference(value, element);
    else if (element.binding !== undefined && (prop.type === 'Coding' || prop.type === 'CodeableConcept')) {
      this.codedBinding(value, prop.type, element.binding);
    }
  }

  private nestedResource(element: ElementDefinition, resource: Json, index: number): void {
    const type = this.resourceType(resource);
    if (!type) return;
    if (element.name !== 'contained') {
      this.independentResource(resource, type);
      return;
    }
    const scope = this.scope;
    scope.contained.push([resource.id, renderPath(this.path)]);
    const outer = scope.inContained;
    scope.inContained = index;
    this.resourceBody(resource, type);
    scope.inContained = outer;
    if (resource.contained !== undefined)
      this.reportCore('dom-2', 'a contained resource has contained resources', 'contained');
    const meta = resource.meta;
    if (isObject(meta)) {
      if (meta.versionId !== undefined || meta.lastUpdated !== undefined) {
        this.reportCore('dom-4', 'meta.versionId/lastUpdated on a contained resource', 'meta');
      }
      if (meta.security !== undefined)
        this.reportCore('dom-5', 'meta.security on a contained resource', 'meta.security');
    }
  }

  private reference(ref: Json, element: ElementDefinition): void {
    const r = ref.reference;
    if (typeof r !== 'string' || checkPrimitive('string', r)) return;
    if (r.charCodeAt(0) === 35 /* # */) {
      if (r.length === 1 && this.scope.inContained < 0) {
        this.reportCore(
          'ref-1',
          "'#' refers to the container and is only valid inside a contained resource",
          'reference',
        );
      } else if (r.length > 1) {
        this.scope.localRefs.push([r.slice(1), renderPath(this.path, 'reference')]);
      }
      this.localTarget(r);
      return;
    }
    const typed = RELATIVE_REF.exec(r) ?? CONDITIONAL_REF.exec(r);
    if (typed) {
      this.referenceTarget(typed[1] ?? '', element);
      if (typeof ref.type === 'string' && ref.type !== typed[1] && isResourceType(ref.type)) {
        this.report('error', 'value', `Reference.type '${ref.type}' contradicts '${r}'`, 'type');
      }
    } else if (r.startsWith('urn:uuid:')) {
      if (!UUID.test(r))
        this.report('error', 'value', `'${r}' is not a valid urn:uuid (lower-case hex)`, 'reference');
    } else if (r.startsWith('urn:oid:')) {
      if (checkPrimitive('oid', r))
        this.report('error', 'value', `'${r}' is not a valid urn:oid`, 'reference');
    } else if (ABSOLUTE_REF.test(r)) {
      const tail = ABSOLUTE_TAIL.exec(r);
      if (tail && isResourceType(tail[1] ?? '')) this.referenceTarget(tail[1] ?? '', element);
    } else {
      this.report(
        'error',
        'value',
        `'${r}' is not a valid reference (Type/id, #id, urn:uuid:…, or an absolute URL)`,
        'reference',
      );
    }
  }

  private referenceTarget(type: string, element: ElementDefinition): void {
    if (!isResourceType(type)) {
      this.report('error', 'value', `reference to unknown resource type '${type}'`, 'reference');
    } else if (element.targets && !element.targets.has(type)) {
      const allowed = [...element.targets].join(', ');
      this.report(
        'error',
        'value',
        `${element.path} cannot refer to ${type} (allowed: ${allowed})`,
        'reference',
      );
    }
  }

  private codedBinding(value: Json, type: 'Coding' | 'CodeableConcept', url: string): void {
    const vs = getValueSet(url);
    if (!vs) return; // not expandable from the package: left to terminology checks
    const inSet = (c: unknown): boolean =>
      isObject(c) &&
      typeof c.code === 'string' &&
      (typeof c.system === 'string' ? vs.bySystem.get(c.system)?.has(c.code) === true : vs.codes.has(c.code));
    if (type === 'Coding') {
      if (value.code !== undefined && !inSet(value)) {
        this.report(
          'error',
          'code-invalid',
          `${String(value.system)}|${String(value.code)} is not in the required value set ${url}`,
        );
      }
    } else if (!(Array.isArray(value.coding) && value.coding.some(inSet))) {
      this.report('error', 'code-invalid', `no coding from the required value set ${url}`);
    }
  }
}

function cardinality(max: number): string {
  return max === Infinity ? '*' : String(max);
}
