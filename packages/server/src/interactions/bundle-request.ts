// Processes a batch or transaction Bundle posted to the FHIR base. A transaction runs all entries
// in one database transaction (all or nothing); a batch runs each entry in its own, reporting
// failures per entry.
import { FhirError, badRequest, operationOutcome } from '../errors.ts';
import type { AccessContext, Resource } from '../store/model.ts';
import { responseEntry } from './bundles.ts';
import type { InteractionResult, Services } from './services.ts';
import { type EntryRequest, prepareEntry, runEntries } from './writes.ts';

export const MAX_BUNDLE_ENTRIES = 10_000;

interface BundleEntry {
  fullUrl?: unknown;
  resource?: unknown;
  request?: {
    method?: unknown;
    url?: unknown;
    ifMatch?: unknown;
    ifNoneExist?: unknown;
    ifNoneMatch?: unknown;
  };
}

function patchBody(resource: unknown, where: string): unknown {
  const binary = resource as { resourceType?: unknown; contentType?: unknown; data?: unknown } | undefined;
  if (binary?.resourceType !== 'Binary' || binary.contentType !== 'application/json-patch+json') {
    throw badRequest('a PATCH entry must carry a Binary with contentType application/json-patch+json', [
      `${where}.resource`,
    ]);
  }
  try {
    return JSON.parse(Buffer.from(String(binary.data ?? ''), 'base64').toString('utf8'));
  } catch {
    throw badRequest('the JSON Patch in the Binary is not valid JSON', [`${where}.resource.data`]);
  }
}

function toEntryRequest(entry: BundleEntry, where: string): EntryRequest {
  const request = entry.request;
  if (typeof request !== 'object' || request === null)
    throw badRequest('entry has no request', [`${where}.request`]);
  if (typeof request.method !== 'string' || typeof request.url !== 'string') {
    throw badRequest('entry.request needs a method and a url', [`${where}.request`]);
  }
  const optional = (name: 'ifMatch' | 'ifNoneExist' | 'ifNoneMatch') =>
    typeof request[name] === 'string' ? { [name]: request[name] as string } : {};
  const method = request.method.toUpperCase();
  return {
    method,
    url: request.url,
    ...(method === 'PATCH'
      ? { body: patchBody(entry.resource, where) }
      : entry.resource !== undefined
        ? { body: entry.resource }
        : {}),
    ...(typeof entry.fullUrl === 'string' ? { fullUrl: entry.fullUrl } : {}),
    ...optional('ifMatch'),
    ...optional('ifNoneExist'),
    ...optional('ifNoneMatch'),
  };
}

function entriesOf(bundle: Resource): BundleEntry[] {
  const entries = bundle.entry ?? [];
  if (!Array.isArray(entries)) throw badRequest('Bundle.entry must be an array', ['Bundle.entry']);
  if (entries.length > MAX_BUNDLE_ENTRIES) {
    throw FhirError.of(413, 'too-costly', `a Bundle may hold at most ${MAX_BUNDLE_ENTRIES} entries`, [
      'Bundle.entry',
    ]);
  }
  return entries as BundleEntry[];
}

const outcomeOf = (err: FhirError) => operationOutcome(err.issues);

export async function processBundle(
  services: Services,
  ctx: AccessContext,
  bundle: Resource,
  representation: boolean,
): Promise<Resource> {
  const kind = bundle.type;
  if (kind !== 'transaction' && kind !== 'batch') {
    throw badRequest(`only transaction and batch Bundles can be posted to the base, not "${String(kind)}"`, [
      'Bundle.type',
    ]);
  }
  const entries = entriesOf(bundle);
  const shape = (result: InteractionResult) => (representation ? result : { ...result, resource: undefined });
  if (kind === 'transaction') {
    const prepared = entries.map((entry, i) =>
      prepareEntry(services, toEntryRequest(entry, `Bundle.entry[${i}]`), i, `Bundle.entry[${i}]`),
    );
    const results = await services.db.transaction((tx) => runEntries(services, tx, ctx, prepared));
    return {
      resourceType: 'Bundle',
      type: 'transaction-response',
      entry: results.map((r) => responseEntry(shape(r))),
    };
  }
  const responses = [];
  for (const [i, entry] of entries.entries()) {
    const where = `Bundle.entry[${i}]`;
    try {
      const prepared = prepareEntry(services, toEntryRequest(entry, where), i, where);
      const [result] = await services.db.transaction((tx) => runEntries(services, tx, ctx, [prepared]));
      responses.push(responseEntry(shape(result!)));
    } catch (err) {
      if (!(err instanceof FhirError)) throw err;
      responses.push(responseEntry({ status: err.status }, outcomeOf(err)));
    }
  }
  return { resourceType: 'Bundle', type: 'batch-response', entry: responses };
}
