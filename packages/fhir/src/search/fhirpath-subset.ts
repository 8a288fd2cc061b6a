// Parser for the small FHIRPath subset that R4 SearchParameter expressions use: paths joined by `|`,
// `where(field = 'literal')`, `where(resolve() is Type)`, `as`/`ofType`, `[n]` indexers, `%resource`,
// and the one boolean form `X.exists() and X != false` (Patient.deceased). Anything else is rejected
// with an error, so an unsupported expression is loud at build time rather than silently wrong.
// It only builds a syntax tree: no types, no evaluation, no I/O.

export type Step =
  | { kind: 'child'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'as'; type: string }
  | { kind: 'whereEquals'; field: string; value: string }
  | { kind: 'whereResolveIs'; type: string };

/** One `|` branch. `root` is a type name (`Patient`, `Resource`), `%resource`, or null for a relative path. */
export interface PathExpr {
  root: string | null;
  steps: Step[];
  /** `X.exists() and X != false`: the branch yields one boolean instead of the path's values. */
  existsNotFalse?: true;
}

type Token = { t: 'ident' | 'string' | 'number' | 'op'; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:([A-Za-z_%][A-Za-z0-9_]*)|'((?:[^'\\]|\\.)*)'|(\d+)|(!=|[.()|=[\]]))/y;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) throw new Error(`unsupported FHIRPath at ${pos}: ${src}`);
    pos = re.lastIndex;
    if (m[1] !== undefined) out.push({ t: 'ident', v: m[1] });
    else if (m[2] !== undefined) out.push({ t: 'string', v: m[2].replace(/\\(.)/g, '$1') });
    else if (m[3] !== undefined) out.push({ t: 'number', v: m[3] });
    else out.push({ t: 'op', v: m[4] as string });
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly src: string,
  ) {}

  private fail(): never {
    throw new Error(`unsupported FHIRPath expression: ${this.src}`);
  }
  private peek(v?: string): Token | undefined {
    const tok = this.tokens[this.i];
    return v === undefined || tok?.v === v ? tok : undefined;
  }
  private next(): Token {
    return this.tokens[this.i++] ?? this.fail();
  }
  private expect(v: string): void {
    if (this.next().v !== v) this.fail();
  }
  private ident(): string {
    const tok = this.next();
    return tok.t === 'ident' ? tok.v : this.fail();
  }

  parseUnion(): PathExpr[] {
    const branches = [this.parseBranch()];
    while (this.peek('|')) {
      this.next();
      branches.push(this.parseBranch());
    }
    if (this.i !== this.tokens.length) this.fail();
    return branches;
  }

  private parseBranch(): PathExpr {
    let path: PathExpr;
    if (this.peek('(')) {
      this.next();
      path = this.parseBranch();
      this.expect(')');
      this.parseSteps(path.steps);
    } else {
      path = this.parsePath();
    }
    if (this.peek('as')) {
      this.next();
      path.steps.push({ kind: 'as', type: this.ident() });
    } else if (this.peek('and')) {
      return this.parseExistsNotFalse(path);
    }
    return path;
  }

  private parsePath(): PathExpr {
    const first = this.ident();
    const steps: Step[] = [];
    let root: string | null = null;
    if (first === '%resource' || /^[A-Z]/.test(first)) root = first;
    else steps.push({ kind: 'child', name: first });
    this.parseSteps(steps);
    return { root, steps };
  }

  private parseSteps(steps: Step[]): void {
    for (;;) {
      if (this.peek('[')) {
        this.next();
        const n = this.next();
        if (n.t !== 'number') this.fail();
        this.expect(']');
        steps.push({ kind: 'index', index: Number(n.v) });
        continue;
      }
      if (!this.peek('.')) return;
      this.next();
      const name = this.ident();
      if (!this.peek('(')) {
        steps.push({ kind: 'child', name });
        continue;
      }
      this.next();
      if (name === 'as' || name === 'ofType') steps.push({ kind: 'as', type: this.ident() });
      else if (name === 'where') steps.push(this.parseWhere());
      else if (name === 'exists') {
        // `.exists()` only appears in `X.exists() and X != false`; leave it for parseBranch.
        this.expect(')');
        steps.push({ kind: 'child', name: '$exists' });
        return;
      } else this.fail();
      this.expect(')');
    }
  }

  private parseWhere(): Step {
    const name = this.ident();
    if (name === 'resolve') {
      this.expect('(');
      this.expect(')');
      if (this.ident() !== 'is') this.fail();
      return { kind: 'whereResolveIs', type: this.ident() };
    }
    this.expect('=');
    const lit = this.next();
    if (lit.t !== 'string') this.fail();
    return { kind: 'whereEquals', field: name, value: lit.v };
  }

  private parseExistsNotFalse(left: PathExpr): PathExpr {
    const last = left.steps.pop();
    if (last?.kind !== 'child' || last.name !== '$exists') this.fail();
    this.expect('and');
    const right = this.parsePath();
    this.expect('!=');
    if (this.ident() !== 'false') this.fail();
    if (JSON.stringify(right) !== JSON.stringify({ root: left.root, steps: left.steps })) this.fail();
    return { ...left, existsNotFalse: true };
  }
}

/** Parses a SearchParameter expression into its `|` branches; throws on anything outside the subset. */
export function parseSearchExpression(src: string): PathExpr[] {
  return new Parser(tokenize(src), src).parseUnion();
}
