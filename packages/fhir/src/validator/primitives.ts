// Checks one primitive JSON value against its FHIR R4 type: JSON kind, the regex published in the
// type's StructureDefinition, length and integer range, and the few rules a regex cannot say
// (calendar dates, non-whitespace strings). Returns a problem description or undefined. Pure; it
// knows nothing about paths or issues (the caller adds those) and must not hand-type any regex.
import { getPrimitive, type PrimitiveModel } from '../definitions.ts';

/** What is wrong with a primitive value, in OperationOutcome issue-type terms. */
export interface PrimitiveProblem {
  code: 'structure' | 'value' | 'too-long';
  message: string;
}

const XML_SPACE = ' \\t\\n\\r';

/**
 * Turns a FHIR (XML Schema flavoured) regex into an anchored JS RegExp. In XML Schema `\s` is only
 * space, tab, CR and LF; in JS it also matches NBSP and other Unicode spaces, which would reject
 * valid Vietnamese text — so `\s`/`\S` are rewritten. A character class holding `\S` matches every
 * non-space plus the spaces it lists, i.e. the complement of the XML spaces it does not list.
 */
export function compileFhirRegex(source: string): RegExp {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\' && (source[i + 1] === 's' || source[i + 1] === 'S')) {
      out += source[i + 1] === 's' ? `[${XML_SPACE}]` : `[^${XML_SPACE}]`;
      i++;
    } else if (ch === '\\') {
      out += source.slice(i, i + 2);
      i++;
    } else if (ch === '[') {
      const end = classEnd(source, i);
      out += translateClass(source.slice(i + 1, end));
      i = end;
    } else {
      out += ch;
    }
  }
  return new RegExp(`^(?:${out})$`);
}

function classEnd(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']') return i;
  }
  throw new Error(`unterminated character class in ${source}`);
}

function translateClass(body: string): string {
  if (!body.includes('\\S')) return `[${body.replaceAll('\\s', XML_SPACE)}]`;
  if (body.startsWith('^')) throw new Error(`unsupported negated class with \\S: [${body}]`);
  const listed = (c: string, esc: string) => body.includes(c) || body.includes(esc) || body.includes('\\s');
  const missing = [
    [' ', ' '],
    ['\t', '\\t'],
    ['\n', '\\n'],
    ['\r', '\\r'],
  ]
    .filter(([c, esc]) => !listed(c!, esc!))
    .map(([, esc]) => esc)
    .join('');
  return missing ? `[^${missing}]` : '[^]';
}

/** A primitive type's rules with its regex compiled, looked up once per type. */
interface CompiledPrimitive {
  rules: PrimitiveModel;
  regex: RegExp | null;
}

const compiled = new Map<string, CompiledPrimitive | null>();

function compiledFor(type: string): CompiledPrimitive | null {
  let c = compiled.get(type);
  if (c === undefined) {
    const rules = getPrimitive(type);
    c = rules ? { rules, regex: rules.regex ? compileFhirRegex(rules.regex) : null } : null;
    compiled.set(type, c);
  }
  return c;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Rejects 2023-02-30 and 2023-02-29 (the regexes accept any day 01–31). */
function impossibleDay(value: string): boolean {
  if (value.length < 10) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const max = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 31);
  return day > max;
}

const XML_SPACES_RE = /[ \t\n\r]/g;

/**
 * FHIR R4 strings "SHALL NOT contain Unicode character points below 32, except for u0009
 * (horizontal tab), u0010 (carriage return) and u0013 (line feed)"; no published regex says so
 * (and PostgreSQL text cannot hold U+0000 at all).
 */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

/** Checks `value` (never null/undefined) as FHIR primitive `type`; undefined when valid. */
export function checkPrimitive(type: string, value: unknown): PrimitiveProblem | undefined {
  const c = compiledFor(type);
  if (!c) return { code: 'structure', message: `'${type}' is not a primitive type` };
  const { rules, regex: re } = c;
  if (typeof value !== rules.json) {
    return { code: 'structure', message: `a ${type} must be a JSON ${rules.json}, not ${describe(value)}` };
  }
  if (rules.json === 'number') return checkNumber(type, value as number, rules, re);
  if (rules.json === 'boolean') return undefined;
  const text = value as string;
  if (text.length === 0) return { code: 'value', message: `a ${type} must not be empty` };
  if (rules.maxLength !== undefined && text.length > rules.maxLength) {
    return {
      code: 'too-long',
      message: `${type} longer than ${rules.maxLength} characters (${text.length})`,
    };
  }
  if (CONTROL_CHARACTERS.test(text)) {
    return {
      code: 'value',
      message: `a ${type} must not contain control characters other than tab, line feed and carriage return`,
    };
  }
  if (type === 'xhtml') return undefined; // checked as Narrative.div by the txt-1/txt-2 rules
  // base64Binary's published regex backtracks badly on long whitespace runs; XML spaces are
  // insignificant in it, so test the regex on the text without them (same language, linear time).
  const subject = type === 'base64Binary' ? text.replace(XML_SPACES_RE, '') : text;
  if (re && !re.test(subject)) return { code: 'value', message: `'${clip(text)}' is not a valid ${type}` };
  if ((type === 'string' || type === 'markdown') && text.trim() === '') {
    return { code: 'value', message: `a ${type} must contain non-whitespace content` };
  }
  if ((type === 'date' || type === 'dateTime' || type === 'instant') && impossibleDay(text)) {
    return { code: 'value', message: `'${clip(text)}' is not a calendar date` };
  }
  return undefined;
}

function checkNumber(
  type: string,
  value: number,
  { minValue: min, maxValue: max }: PrimitiveModel,
  re: RegExp | null,
): PrimitiveProblem | undefined {
  if (!Number.isFinite(value)) return { code: 'value', message: `${value} is not a valid ${type}` };
  // A JSON number is always a valid decimal; integer types also need their regex (sign) and range.
  if (type === 'decimal') return undefined;
  if (!Number.isInteger(value)) return { code: 'value', message: `${value} is not a valid ${type}` };
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    return { code: 'value', message: `${value} is outside the range of ${type} (${min}..${max})` };
  }
  if (re && !re.test(String(value))) return { code: 'value', message: `${value} is not a valid ${type}` };
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a JSON ${typeof value === 'object' ? 'object' : typeof value}`;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
