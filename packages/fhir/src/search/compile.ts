// Compiles parsed SearchParameter expressions (see fhirpath-subset.ts) into plain JavaScript closures
// that walk a resource's JSON and return typed values. Element types come from an ElementModel
// (at build time: the R4 StructureDefinitions; at run time: the generated table), so choice
// elements (`value[x]`), `as`/`ofType` and `where(resolve() is T)` are decided without a FHIRPath
// engine. No I/O; it only reads the resource it is given.

import { parseSearchExpression, type PathExpr, type Step } from './fhirpath-subset.ts';
import { referenceTargetType } from './reference.ts';

/** A value found in a resource together with its FHIR type (`HumanName`, `dateTime`, `Observation.component`, …). */
export interface TypedValue {
  value: unknown;
  type: string;
  /** For `code` elements bound (required) to one code system: that system, implicit in the data. */
  system?: string | undefined;
}

/** Element types: `types` are FHIR type codes, or element paths for backbone elements. */
export interface ElementInfo {
  types: string[];
  choice: boolean;
  /** The implicit code system of a `code` element (see TypedValue.system). */
  codeSystem?: string | undefined;
}

/** The slice of the R4 type model that compilation needs. */
export interface ElementModel {
  /** The element `name` inside the type or backbone element `context`. */
  element(context: string, name: string): ElementInfo | undefined;
  /** The type a type is derived from (`canonical` → `uri`, `Age` → `Quantity`), if any. */
  baseType(type: string): string | undefined;
}

/** A compiled expression: the values it selects from `focus`, with `resource` for `%resource`. */
export type CompiledExpression = (focus: unknown, resource: unknown) => TypedValue[];

export interface CompiledPath {
  evaluate: CompiledExpression;
  /** Every type the expression can yield (for coverage reports). */
  resultTypes: string[];
}

type Op = (values: TypedValue[]) => TypedValue[];

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * `as T` keeps values of T and its subtypes (`as uri` keeps canonical, `as Quantity` keeps Age), as
 * FHIRPath's type test does. FHIRPath's System types (`DateTime`) mean the FHIR primitive here.
 */
function typeTest(model: ElementModel, wanted: string): (type: string) => boolean {
  const isA = (t: string | undefined): boolean =>
    t !== undefined && (t === wanted || t.toLowerCase() === wanted.toLowerCase() || isA(model.baseType(t)));
  return isA;
}

/** A child step; `keep` (from a following `as`) prunes choice alternatives at compile time. */
function compileChild(
  name: string,
  inputTypes: string[],
  model: ElementModel,
  keep: (type: string) => boolean = () => true,
): [Op, string[], string[]] {
  const alternatives = new Map<string, { key: string; type: string; system: string | undefined }[]>();
  const outTypes = new Set<string>();
  const keys = new Set<string>();
  let known = false;
  for (const t of inputTypes) {
    const info = model.element(t, name);
    if (!info) continue;
    known = true;
    const types = info.types.filter(keep);
    alternatives.set(
      t,
      types.map((type) => ({
        key: info.choice ? name + capitalize(type) : name,
        type,
        system: type === 'code' ? info.codeSystem : undefined,
      })),
    );
    for (const type of types) outTypes.add(type);
    for (const alt of alternatives.get(t) ?? []) keys.add(alt.key);
  }
  if (!known) throw new Error(`unknown element ${name} on ${inputTypes.join('|')}`);
  const op: Op = (values) => {
    const out: TypedValue[] = [];
    for (const { value, type } of values) {
      const alts = alternatives.get(type);
      if (!alts || typeof value !== 'object' || value === null) continue;
      for (const alt of alts) {
        const child = (value as Record<string, unknown>)[alt.key];
        if (child === undefined || child === null) continue;
        if (Array.isArray(child)) {
          for (const item of child)
            if (item !== null && item !== undefined)
              out.push({ value: item, type: alt.type, system: alt.system });
        } else out.push({ value: child, type: alt.type, system: alt.system });
      }
    }
    return out;
  };
  return [op, [...outTypes], [...keys]];
}

function compileStep(step: Step, inputTypes: string[], model: ElementModel): [Op, string[], string[]?] {
  switch (step.kind) {
    case 'child':
      return compileChild(step.name, inputTypes, model);
    case 'index': {
      const n = step.index;
      return [(values) => (n < values.length ? [values[n] as TypedValue] : []), inputTypes];
    }
    case 'as': {
      const wanted = new Set(inputTypes.filter(typeTest(model, step.type)));
      return [(values) => values.filter((v) => wanted.has(v.type)), [...wanted]];
    }
    case 'whereEquals': {
      const { field, value } = step;
      if (!inputTypes.some((t) => model.element(t, field)))
        throw new Error(`unknown element ${field} on ${inputTypes.join('|')}`);
      // FHIRPath `=` compares singletons: a one-item list compares as its item.
      const matches = (v: TypedValue): boolean => {
        const f = (v.value as Record<string, unknown>)[field];
        return (Array.isArray(f) && f.length === 1 ? f[0] : f) === value;
      };
      return [(values) => values.filter(matches), inputTypes];
    }
    case 'whereResolveIs': {
      const target = step.type;
      return [
        (values) => values.filter((v) => v.type === 'Reference' && referenceTargetType(v.value) === target),
        inputTypes,
      ];
    }
  }
}

/** Whether `focus` has a value under any of `keys`. */
function present(focus: unknown, keys: string[]): boolean {
  if (typeof focus !== 'object' || focus === null) return false;
  for (const key of keys) if ((focus as Record<string, unknown>)[key] != null) return true;
  return false;
}

/**
 * Compiles the `|` branches of one expression evaluated on `contextType`. A branch rooted at another
 * type than `contextType` is a compile error: callers split shared expressions per type first.
 */
export function compilePaths(branches: PathExpr[], contextType: string, model: ElementModel): CompiledPath {
  const compiled: { fromResource: boolean; ops: Op[]; existsNotFalse: boolean; guard: string[] | null }[] =
    [];
  const resultTypes = new Set<string>();
  for (const branch of branches) {
    const fromResource = branch.root === '%resource';
    if (branch.root !== null && !fromResource && branch.root !== contextType) {
      throw new Error(`branch rooted at ${branch.root} evaluated on ${contextType}`);
    }
    // `%resource` only appears in composite components of MolecularSequence, whose resource type is
    // the root of the enclosing parameter; the caller passes that type as the first element path segment.
    let types = [fromResource ? (contextType.split('.')[0] as string) : contextType];
    const ops: Op[] = [];
    // The keys the first step reads on the focus: when none is present the branch is skipped at once.
    let guard: string[] | null = null;
    for (let i = 0; i < branch.steps.length; i++) {
      const step = branch.steps[i] as Step;
      const following = branch.steps[i + 1];
      let compiled: [Op, string[], string[]?];
      if (step.kind === 'child' && following?.kind === 'as') {
        // `value as Quantity`: read only `valueQuantity` instead of filtering every `value[x]`.
        compiled = compileChild(step.name, types, model, typeTest(model, following.type));
        i++;
      } else compiled = compileStep(step, types, model);
      if (ops.length === 0 && !fromResource && compiled[2]) guard = compiled[2];
      ops.push(compiled[0]);
      types = compiled[1];
    }
    if (branch.existsNotFalse) resultTypes.add('boolean');
    else for (const t of types) resultTypes.add(t);
    compiled.push({ fromResource, ops, existsNotFalse: branch.existsNotFalse === true, guard });
  }
  const resourceType = contextType.split('.')[0] as string;
  const evaluate: CompiledExpression = (focus, resource) => {
    const out: TypedValue[] = [];
    for (const { fromResource, ops, existsNotFalse, guard } of compiled) {
      if (guard && !existsNotFalse && !present(focus, guard)) continue;
      let values: TypedValue[] = fromResource
        ? [{ value: resource, type: resourceType }]
        : [{ value: focus, type: contextType }];
      for (const op of ops) {
        values = op(values);
        if (values.length === 0) break;
      }
      if (existsNotFalse) {
        out.push({
          value: values.length > 0 && !(values.length === 1 && values[0]?.value === false),
          type: 'boolean',
        });
      } else for (const v of values) out.push(v);
    }
    return out;
  };
  return { evaluate, resultTypes: [...resultTypes] };
}

export type ParameterType =
  'string' | 'token' | 'date' | 'number' | 'quantity' | 'reference' | 'uri' | 'composite';
export type ValueParameterType = Exclude<ParameterType, 'composite'>;

/** A composite's component: its own parameter code and type, and an expression relative to the composite's element. */
export type ComponentDef = readonly [code: string, type: ValueParameterType, expression: string];

/** One SearchParameter as it applies to one resource type (shared expressions already split per type). */
export type ParameterDef = readonly [
  code: string,
  type: ParameterType,
  expression: string,
  components?: readonly ComponentDef[],
];

export interface CompiledComponent {
  code: string;
  type: ValueParameterType;
  evaluate: CompiledExpression;
}

export interface CompiledParameter {
  code: string;
  type: ParameterType;
  evaluate: CompiledExpression;
  /** Present for composites; each is evaluated on one value that `evaluate` yields. */
  components?: { element: string; list: CompiledComponent[] }[];
}

/** Compiles one parameter definition evaluated on `contextType`. */
export function compileParameter(
  def: ParameterDef,
  contextType: string,
  model: ElementModel,
): CompiledParameter & { resultTypes: string[] } {
  const [code, type, expression, components] = def;
  const compileOn = (expr: string, on: string): CompiledPath => {
    try {
      return compilePaths(parseSearchExpression(expr), on, model);
    } catch (e) {
      throw new Error(`${on} ${code} [${expr}]: ${(e as Error).message}`, { cause: e });
    }
  };
  const compiled = compileOn(expression, contextType);
  const result: CompiledParameter & { resultTypes: string[] } = { code, type, ...compiled };
  if (components) {
    // A composite is evaluated per element occurrence; components are compiled for each element type.
    result.components = compiled.resultTypes.map((element) => ({
      element,
      list: components.map(([c, t, e]) => ({ code: c, type: t, evaluate: compileOn(e, element).evaluate })),
    }));
  }
  return result;
}
