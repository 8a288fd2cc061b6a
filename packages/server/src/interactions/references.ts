// Finds and rewrites the references inside a resource: `urn:uuid:` and other fullUrl references
// of a transaction, and conditional references (`Patient?identifier=s|v`). Pure: the caller
// resolves conditional references and passes the answers in.

export type ReferenceVisitor = (reference: string) => string | undefined;

/** Calls `visit` on every Reference.reference string; a returned string replaces it. */
export function rewriteReferences(value: unknown, visit: ReferenceVisitor, depth = 0): void {
  if (depth > 128 || typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) rewriteReferences(item, visit, depth + 1);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const [key, child] of Object.entries(record)) {
    if (key === 'reference' && typeof child === 'string') {
      const replacement = visit(child);
      if (replacement !== undefined) record[key] = replacement;
    } else rewriteReferences(child, visit, depth + 1);
  }
}

/** Collects every Reference.reference string. */
export function collectReferences(value: unknown): string[] {
  const found: string[] = [];
  rewriteReferences(value, (reference) => {
    found.push(reference);
    return undefined;
  });
  return found;
}

export const isConditionalReference = (reference: string) => /^[A-Z][A-Za-z]+\?/.test(reference);
