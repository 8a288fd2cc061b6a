// Reading FHIR Reference values without resolving them: the target type and id of a local
// `Type/id[/_history/v]`, the type named by an absolute `…/Type/id` URL, or `Reference.type`.
// Pure string work: never fetches, never looks anything up.

const LOCAL = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const ABSOLUTE_TAIL = /\/([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

export type ParsedReference =
  | { kind: 'local'; targetType: string; targetId: string }
  | { kind: 'url'; url: string }
  | { kind: 'contained' };

/** Classifies a `Reference.reference` string; an empty string gives undefined. */
export function parseReference(reference: string): ParsedReference | undefined {
  if (reference === '') return undefined;
  if (reference.startsWith('#')) return { kind: 'contained' };
  const m = LOCAL.exec(reference);
  if (m) return { kind: 'local', targetType: m[1] as string, targetId: m[2] as string };
  return { kind: 'url', url: reference };
}

/** The resource type a Reference points at, as `resolve() is Type` would see it, when it can be told. */
export function referenceTargetType(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { reference, type } = value as { reference?: unknown; type?: unknown };
  if (typeof reference === 'string') {
    // A contained target (`#id`) would need the container to be told; treat it as unknown.
    if (reference.startsWith('#')) return undefined;
    const local = LOCAL.exec(reference);
    if (local) return local[1];
    const tail = ABSOLUTE_TAIL.exec(reference);
    if (tail && /^[a-z][a-z0-9+.-]*:\/\//i.test(reference)) return tail[1];
  }
  return typeof type === 'string' ? type : undefined;
}
