// A tiny parameterised SQL builder: fragments carry their values, composition renumbers
// placeholders. Values are always bound parameters; nothing here splices user input into SQL text.
import type { SqlValue } from './database.ts';

export class Sql {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly (SqlValue | Sql)[],
  ) {}

  /** Renders to `$n` placeholders, starting after `offset` already-bound parameters. */
  render(offset = 0): { text: string; params: SqlValue[] } {
    const params: SqlValue[] = [];
    const walk = (fragment: Sql): string => {
      let text = fragment.strings[0] ?? '';
      fragment.values.forEach((value, i) => {
        if (value instanceof Sql) text += walk(value);
        else {
          params.push(value);
          text += `$${offset + params.length}`;
        }
        text += fragment.strings[i + 1] ?? '';
      });
      return text;
    };
    return { text: walk(this), params };
  }
}

export function sql(strings: TemplateStringsArray, ...values: (SqlValue | Sql)[]): Sql {
  return new Sql(strings, values);
}

/** Trusted SQL text (identifiers and keywords chosen by our code, never by a caller). */
export function raw(text: string): Sql {
  return new Sql([text], []);
}

export function join(fragments: readonly Sql[], separator: string): Sql {
  if (fragments.length === 0) return raw('');
  const strings = ['', ...fragments.slice(1).map(() => separator), ''];
  return new Sql(strings, fragments);
}

export const and = (conditions: readonly Sql[]): Sql =>
  conditions.length === 0 ? raw('TRUE') : sql`(${join(conditions, ' AND ')})`;

export const or = (conditions: readonly Sql[]): Sql =>
  conditions.length === 0 ? raw('FALSE') : sql`(${join(conditions, ' OR ')})`;
