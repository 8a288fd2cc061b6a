// Imports terminology files into the concept tables: the ICD-10 list of Decision 4469 (with its
// appendices file beside it), FHIR CodeSystem/ValueSet/ConceptMap resources or Bundles of them
// (JSON), and flat catalogues (CSV, or JSON with a concepts array). Idempotent per (url, version).
// Several files are read and stored in a pipeline (importFiles).
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Database } from '../db/database.ts';
import { builtinConcepts } from './builtin.ts';
import { importCodeSystem, type PreparedConcepts, prepareConcepts, storeConcepts } from './bulk-load.ts';
import {
  type CatalogueOptions,
  catalogueConcept,
  catalogueHeader,
  csvCatalogue,
} from './loaders/catalogue.ts';
import { codeSystemConcepts, codeSystemHeader } from './loaders/fhir.ts';
import {
  appendicesBeside,
  icd10Concepts,
  icd10Header,
  isIcd10Appendices,
  isIcd10Main,
  readIcd10Flags,
} from './loaders/icd10-vn.ts';
import type { CodeSystemHeader, ConceptInput } from './model.ts';
import { prepareCsvCatalogue, type ReadOptions, SharedCatalogueWorker } from './parallel-catalogue.ts';
import { importConceptMap, importValueSet } from './value-sets.ts';

export interface ImportOptions extends Partial<CatalogueOptions> {
  /** Called as concepts are stored (for a progress bar). */
  progress?: (file: string, concepts: number) => void;
}

export interface ImportResult {
  file: string;
  what: string;
  count: number;
}

type Json = Record<string, unknown>;

/** Catalogue CSV files from this size on are read on two threads (a worker costs ~0.4 s to start). */
const PARALLEL_CSV_BYTES = 8 << 20;

async function* withWeights(concepts: AsyncIterable<ConceptInput>): AsyncGenerator<ConceptInput> {
  const weights = new Map(builtinConcepts().map((c) => [c.code, c.weight ?? 0]));
  for await (const c of concepts) yield weights.has(c.code) ? { ...c, weight: weights.get(c.code)! } : c;
}

async function importResource(
  db: Database,
  file: string,
  r: Json,
  options: ImportOptions,
): Promise<ImportResult[]> {
  const progress = (n: number) => options.progress?.(file, n);
  switch (r.resourceType) {
    case 'CodeSystem': {
      const { count } = await importCodeSystem(db, codeSystemHeader(r), codeSystemConcepts(r), progress);
      return [{ file, what: `CodeSystem ${String(r.url)}|${String(r.version ?? '')}`, count }];
    }
    case 'ValueSet':
      await importValueSet(db, r);
      return [{ file, what: `ValueSet ${String(r.url)}`, count: 1 }];
    case 'ConceptMap':
      return [{ file, what: `ConceptMap ${String(r.url)}`, count: await importConceptMap(db, r) }];
    case 'Bundle': {
      const out: ImportResult[] = [];
      for (const e of (r.entry as { resource?: Json }[] | undefined) ?? []) {
        if (e.resource) out.push(...(await importResource(db, file, e.resource, options)));
      }
      return out;
    }
  }
  throw new Error(`${file}: a ${String(r.resourceType)} is not a terminology resource`);
}

function catalogueOptions(file: string, options: ImportOptions, json?: Json): CatalogueOptions {
  const url = (json?.url as string | undefined) ?? options.url;
  if (!url) throw new Error(`${file}: a catalogue needs its code system URL (--system URL)`);
  return {
    url,
    version: (json?.version as string | undefined) ?? options.version ?? '',
    ...(((json?.title as string | undefined) ?? options.title)
      ? { title: (json?.title as string | undefined) ?? options.title! }
      : {}),
    ...(((json?.language as string | undefined) ?? options.language)
      ? { language: (json?.language as string | undefined) ?? options.language! }
      : {}),
  };
}

/** A file read, a code system's concepts prepared: what is left is to store it. */
type ReadFile = (db: Database) => Promise<ImportResult[]>;

/** Stores a prepared code system version and says what it was. */
const stored =
  (file: string, what: string, header: CodeSystemHeader, prepared: PreparedConcepts): ReadFile =>
  async (db) => [{ file, what, count: (await storeConcepts(db, header, prepared)).count }];

/**
 * Reads one file and prepares its concepts (this process's share of the import). FHIR resources
 * are only parsed: a Bundle may hold several code systems, read and stored one after the other.
 * How a large catalogue CSV is read on two threads: `reading`.
 */
async function readTerminologyFile(
  file: string,
  options: ImportOptions,
  reading: ReadOptions = {},
): Promise<ReadFile> {
  const progress = (n: number) => options.progress?.(file, n);
  if (isIcd10Main(file)) {
    const appendices = appendicesBeside(file);
    const flags = appendices ? await readIcd10Flags(appendices) : new Map();
    const prepared = await prepareConcepts(withWeights(icd10Concepts(file, flags)), progress);
    const what = `ICD-10 VN (QĐ 4469)${appendices ? ' with appendix rule flags' : ''}`;
    return stored(file, what, icd10Header(), prepared);
  }
  if (isIcd10Appendices(file)) {
    return async () => [
      { file, what: 'ICD-10 appendices (read together with icd10_qd4469.csv beside it)', count: 0 },
    ];
  }
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') {
    const header = catalogueHeader(catalogueOptions(file, options));
    const prepared =
      (await stat(file)).size >= PARALLEL_CSV_BYTES
        ? await prepareCsvCatalogue(file, progress, reading)
        : await prepareConcepts(csvCatalogue(file), progress);
    return stored(file, `catalogue ${options.url ?? ''}`, header, prepared);
  }
  if (ext === '.json') {
    const json = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, '')) as Json;
    if (typeof json.resourceType === 'string') return (db) => importResource(db, file, json, options);
    if (Array.isArray(json.concepts)) {
      const concepts = (json.concepts as Json[]).map(catalogueConcept).filter((c) => c !== undefined);
      const o = catalogueOptions(file, options, json);
      return stored(
        file,
        `catalogue ${o.url}`,
        catalogueHeader(o),
        await prepareConcepts(concepts, progress),
      );
    }
  }
  throw new Error(
    `${file}: not a terminology file this importer knows (ICD-10 VN CSV, catalogue CSV/JSON, FHIR JSON)`,
  );
}

/** Imports one file; returns what it stored. */
export async function importFile(
  db: Database,
  file: string,
  options: ImportOptions = {},
): Promise<ImportResult[]> {
  return (await readTerminologyFile(file, options))(db);
}

/** One file of an importFiles call, with its own options. */
export interface FileImport {
  file: string;
  options?: ImportOptions;
}

/**
 * Imports files in order, reading the next one while the one before is stored: this process's
 * share of an import (reading, keys, encoding) and the database's (COPY, index builds) otherwise
 * take turns. Meanwhile a large catalogue CSV is encoded on the worker thread only, so that this
 * thread stays free to feed the COPY; one worker serves all the files. Each file is its own import
 * (atomic, idempotent); at most two files are in memory. `onImported` hears of each file once it
 * is stored. Stops at the first file that fails.
 */
export async function importFiles(
  db: Database,
  files: readonly FileImport[],
  onImported?: (results: ImportResult[]) => void,
): Promise<ImportResult[]> {
  const shared = new SharedCatalogueWorker();
  const read = (i: number) => {
    const f = files[i];
    if (!f) return undefined;
    const reading = readTerminologyFile(f.file, f.options ?? {}, { encodeHere: i === 0, shared });
    reading.catch(() => undefined); // awaited in turn; not unhandled if an earlier file fails first
    return reading;
  };
  const out: ImportResult[] = [];
  let next = read(0);
  try {
    for (let i = 1; next; i++) {
      const store = await next;
      next = read(i);
      const results = await store(db);
      out.push(...results);
      onImported?.(results);
    }
  } finally {
    // After a failure, the next file may still be reading with the worker.
    await next?.catch(() => undefined);
    await shared.close();
  }
  return out;
}
