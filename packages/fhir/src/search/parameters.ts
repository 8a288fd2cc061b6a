// The search parameters of each resource type, compiled to closures on first use of that type.
// Reads only the generated table (definitions.generated.ts, built from the R4 definitions by
// build-definitions.ts); compiles each expression once and caches it. No I/O, no SQL.

import { compileParameter, type CompiledParameter, type ElementModel } from './compile.ts';
import { BASE_TYPES, CODE_SYSTEMS, ELEMENTS, SEARCH_PARAMETERS } from './definitions.generated.ts';

/** The generated element table: `ctx.name` for plain elements, `ctx.name[x]` for choices. */
const generatedModel: ElementModel = {
  element(context, name) {
    const key = `${context}.${name}`;
    const plain = ELEMENTS[key];
    if (plain) return { types: plain, choice: false, codeSystem: CODE_SYSTEMS[key] };
    const choice = ELEMENTS[`${context}.${name}[x]`];
    return choice ? { types: choice, choice: true } : undefined;
  },
  baseType: (type) => BASE_TYPES[type],
};

const cache = new Map<string, CompiledParameter[]>();

/** The compiled parameters that apply to `resourceType` (its own plus those on every resource). */
export function parametersFor(resourceType: string): CompiledParameter[] {
  let list = cache.get(resourceType);
  if (!list) {
    const own = SEARCH_PARAMETERS[resourceType];
    const common = SEARCH_PARAMETERS['Resource'] ?? [];
    list = own
      ? [
          ...own.map((d) => compileParameter(d, resourceType, generatedModel)),
          ...common.map((d) => compileParameter(d, 'Resource', generatedModel)),
        ]
      : [];
    cache.set(resourceType, list);
  }
  return list;
}
