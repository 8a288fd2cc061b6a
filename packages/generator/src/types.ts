// The shapes the generator hands out: plain FHIR R4 JSON objects (loosely typed; validation is
// @hoso/fhir's job) and the ground truth linking facility records to people. Types only.

export interface Resource {
  resourceType: string;
  id: string;
  [element: string]: unknown;
}

export interface BundleEntry {
  fullUrl: string;
  resource: Resource;
  request: { method: 'PUT'; url: string };
}

export interface Bundle {
  resourceType: 'Bundle';
  type: 'transaction';
  entry: BundleEntry[];
}

/** one facility's Patient record of a person */
export interface TruthRow {
  patientId: string;
  personId: string;
  facilityCode: string;
  /** ISO date the facility registered the person */
  registered: string;
}

/** what the generator yields, in dependency order: referenced resources come first; `person` ends a person */
export type Output =
  | { kind: 'resource'; resource: Resource }
  | { kind: 'truth'; row: TruthRow }
  | { kind: 'person'; personId: string };
