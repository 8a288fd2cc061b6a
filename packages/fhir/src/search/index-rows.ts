// The shape of search-index rows that parameter extraction produces and the store persists.
// One row per indexed value; a resource yields many. Pure data: no SQL, no I/O here.

/** A `string` parameter value: `exact` is NFC with canonical tone marks, `folded` is the search key. */
export interface StringRow {
  param: string;
  exact: string;
  folded: string;
}

/** A `token` parameter value (Coding, Identifier, code, boolean, ContactPoint, …). */
export interface TokenRow {
  param: string;
  system: string | null;
  code: string | null;
  /** Folded display / CodeableConcept.text / Identifier.type.text, for `:text`. */
  text: string | null;
  /** Identifier.type coding, for `:of-type`. */
  typeSystem?: string | null;
  typeCode?: string | null;
}

/** A `date` parameter value as an inclusive UTC instant range; null means open-ended. */
export interface DateRow {
  param: string;
  start: string | null;
  end: string | null;
}

/** A `number` parameter value, kept as its decimal text so precision survives. */
export interface NumberRow {
  param: string;
  value: string;
}

/** A `quantity` parameter value. */
export interface QuantityRow {
  param: string;
  value: string;
  system: string | null;
  code: string | null;
  unit: string | null;
}

/** A `reference` parameter value: local `Type/id`, absolute URL or canonical. */
export interface ReferenceRow {
  param: string;
  targetType: string | null;
  targetId: string | null;
  /** Absolute or canonical URL when the reference is not a local `Type/id`. */
  url: string | null;
}

/** A `uri` parameter value. */
export interface UriRow {
  param: string;
  value: string;
}

/** One occurrence of a `composite` parameter: its components, extracted from the same element. */
export interface CompositeRow {
  param: string;
  components: { param: string; row: IndexValueRow }[];
}

export type IndexValueRow = StringRow | TokenRow | DateRow | NumberRow | QuantityRow | ReferenceRow | UriRow;

/** Everything a resource contributes to the search indexes. */
export interface IndexRows {
  string: StringRow[];
  token: TokenRow[];
  date: DateRow[];
  number: NumberRow[];
  quantity: QuantityRow[];
  reference: ReferenceRow[];
  uri: UriRow[];
  composite: CompositeRow[];
}
