// Operation inputs and outputs as FHIR Parameters: reads the same named values from a GET query or
// a POSTed Parameters resource (or form body), and builds Parameters answers. Pure.
import { badRequest } from '../errors.ts';

export interface Coding {
  system?: string;
  version?: string;
  code?: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

type Part = { name: string; part?: Part[]; resource?: Record<string, unknown> } & Record<string, unknown>;

/** Named input values of one operation call. */
export class OperationInput {
  private constructor(private readonly params: Part[]) {}

  static fromQuery(query: URLSearchParams): OperationInput {
    return new OperationInput([...query].map(([name, value]) => ({ name, valueString: value })));
  }

  static fromBody(body: unknown, query: URLSearchParams): OperationInput {
    const fromQuery = [...query].map(([name, value]) => ({ name, valueString: value }));
    if (body instanceof URLSearchParams) {
      return new OperationInput([
        ...fromQuery,
        ...[...body].map(([name, value]) => ({ name, valueString: value })),
      ]);
    }
    if (body === undefined || body === null || body === '') return new OperationInput(fromQuery);
    const resource = body as { resourceType?: unknown; parameter?: unknown };
    if (resource.resourceType !== 'Parameters') {
      throw badRequest('a terminology operation takes a Parameters resource (or a form) as its body');
    }
    const list = Array.isArray(resource.parameter) ? (resource.parameter as Part[]) : [];
    return new OperationInput([...fromQuery, ...list.filter((p) => typeof p?.name === 'string')]);
  }

  private all(name: string): Part[] {
    return this.params.filter((p) => p.name === name);
  }

  has(name: string): boolean {
    return this.all(name).length > 0;
  }

  /** A primitive value (any value[x] that is a string, number or boolean) as a string. */
  string(name: string): string | undefined {
    return this.strings(name)[0];
  }

  strings(name: string): string[] {
    const out: string[] = [];
    for (const p of this.all(name)) {
      for (const [key, value] of Object.entries(p)) {
        if (key.startsWith('value') && ['string', 'number', 'boolean'].includes(typeof value)) {
          out.push(String(value));
        }
      }
    }
    return out;
  }

  boolean(name: string): boolean | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    if (v !== 'true' && v !== 'false')
      throw badRequest(`parameter ${name} must be true or false, got "${v}"`);
    return v === 'true';
  }

  integer(name: string, min: number, max: number): number | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max) {
      throw badRequest(`parameter ${name} must be an integer from ${min} to ${max}, got "${v}"`);
    }
    return n;
  }

  coding(name: string): Coding | undefined {
    const p = this.all(name)[0];
    if (!p) return undefined;
    if (typeof p.valueCoding === 'object') return p.valueCoding as Coding;
    const text = this.string(name);
    if (text === undefined) return undefined;
    const bar = text.indexOf('|');
    return bar < 0 ? { code: text } : { system: text.slice(0, bar), code: text.slice(bar + 1) };
  }

  codeableConcept(name: string): CodeableConcept | undefined {
    const p = this.all(name)[0];
    return p && typeof p.valueCodeableConcept === 'object'
      ? (p.valueCodeableConcept as CodeableConcept)
      : undefined;
  }

  resource(name: string): Record<string, unknown> | undefined {
    return this.all(name)[0]?.resource;
  }
}

export type OutputValue =
  | { name: string; valueString: string }
  | { name: string; valueBoolean: boolean }
  | { name: string; valueCode: string }
  | { name: string; valueUri: string }
  | { name: string; valueCoding: Coding }
  | { name: string; valueCodeableConcept: CodeableConcept }
  | { name: string; part: Record<string, unknown>[] }
  | { name: string; resource: Record<string, unknown> }
  | Record<string, unknown>;

export function parameters(values: (OutputValue | undefined | false | '')[]): Record<string, unknown> {
  return { resourceType: 'Parameters', parameter: values.filter(Boolean) };
}
