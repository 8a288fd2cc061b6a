// Names for hot statements, so that PostgreSQL parses and plans each once per connection (a named
// prepared statement, whose generic plan it reuses) instead of on every call. Two kinds: constant
// statements fixed at module load (`prepared`), and statements built from a small, fixed set of
// shapes — a read by id under each kind of caller's access conditions — named by their text
// (`preparedShape`). Never register text that varies with request values (search queries, lists of
// ids): every name keeps a statement alive on every pooled connection, so shapes are capped.
// PGlite (one in-process connection) runs them all unnamed.
import { createHash } from 'node:crypto';

const names = new Map<string, string>();

/** Statement texts registered by shape beyond this many run unnamed (planned on every call). */
export const MAX_SHAPES = 64;
let shapes = 0;

/** Registers `text` as the prepared statement `name` and returns the text, to be passed to `query`. */
export function prepared(name: string, text: string): string {
  if ([...names].some(([t, n]) => n === name && t !== text)) {
    throw new Error(`the prepared statement name ${name} is already used for another statement`);
  }
  names.set(text, name);
  return text;
}

/**
 * Registers `text` (one of a bounded set of statement shapes whose values are all parameters) under
 * a name derived from the text, and returns the text. Once MAX_SHAPES are registered, new texts run
 * unnamed.
 */
export function preparedShape(text: string): string {
  if (names.has(text) || shapes >= MAX_SHAPES) return text;
  shapes++;
  names.set(text, `shape_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`);
  return text;
}

/** The registered name of `text`, if it is one of the prepared statements. */
export const preparedName = (text: string): string | undefined => names.get(text);
