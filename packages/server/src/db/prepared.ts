// Names for the few constant, hot statements of the write path, so that PostgreSQL parses and plans
// each once per connection (a named prepared statement) instead of on every call. Register only SQL
// text fixed at module load, never text that varies with a request: every name keeps a statement
// alive on every pooled connection. PGlite (one in-process connection) runs them unnamed.

const names = new Map<string, string>();

/** Registers `text` as the prepared statement `name` and returns the text, to be passed to `query`. */
export function prepared(name: string, text: string): string {
  if ([...names].some(([t, n]) => n === name && t !== text)) {
    throw new Error(`the prepared statement name ${name} is already used for another statement`);
  }
  names.set(text, name);
  return text;
}

/** The registered name of `text`, if it is one of the prepared statements. */
export const preparedName = (text: string): string | undefined => names.get(text);
