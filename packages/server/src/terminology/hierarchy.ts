// Hierarchy logic for streamed concepts: each concept's ancestors from its parents', computed as
// concepts arrive (parents usually come first) with a final pass for the rest. Pure, in memory.

export class AncestorIndex {
  private readonly known = new Map<string, string[]>();
  private readonly pending: { code: string; parents: string[] }[] = [];

  /** Ancestors of `code` if all its parents are already known, else undefined (resolved later). */
  add(code: string, parents: readonly string[]): string[] | undefined {
    if (parents.length === 1) {
      // The common case: no duplicates to remove (a parent is not among its own ancestors).
      const above = this.known.get(parents[0]!);
      if (above === undefined) {
        this.pending.push({ code, parents: [...parents] });
        return undefined;
      }
      const list = [parents[0]!, ...above];
      this.known.set(code, list);
      return list;
    }
    const out = new Set<string>();
    for (const p of parents) {
      const above = this.known.get(p);
      if (above === undefined) {
        this.pending.push({ code, parents: [...parents] });
        return undefined;
      }
      out.add(p);
      for (const a of above) out.add(a);
    }
    const list = [...out];
    this.known.set(code, list);
    return list;
  }

  /** Resolves the concepts whose parents came later (or never came: unknown parents are kept). */
  resolvePending(): Map<string, string[]> {
    const result = new Map<string, string[]>();
    const byCode = new Map(this.pending.map((p) => [p.code, p.parents]));
    const visit = (code: string, depth: number): string[] => {
      const done = this.known.get(code);
      if (done) return done;
      const parents = byCode.get(code);
      if (!parents || depth > 64) return [];
      const out = new Set<string>();
      for (const p of parents) {
        out.add(p);
        for (const a of visit(p, depth + 1)) out.add(a);
      }
      const list = [...out];
      this.known.set(code, list);
      return list;
    };
    for (const p of this.pending) result.set(p.code, visit(p.code, 0));
    return result;
  }
}

/** The FHIR $subsumes outcome of two concepts, given each one's ancestors. */
export function subsumption(
  a: { code: string; ancestors: readonly string[] },
  b: { code: string; ancestors: readonly string[] },
): 'equivalent' | 'subsumes' | 'subsumed-by' | 'not-subsumed' {
  if (a.code === b.code) return 'equivalent';
  if (b.ancestors.includes(a.code)) return 'subsumes';
  if (a.ancestors.includes(b.code)) return 'subsumed-by';
  return 'not-subsumed';
}
