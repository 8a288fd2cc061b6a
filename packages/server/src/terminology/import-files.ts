// Imports terminology files into the concept tables: the ICD-10 list of Decision 4469 (with its
// appendices file beside it), FHIR CodeSystem/ValueSet/ConceptMap resources or Bundles of them
// (JSON), and flat catalogues (CSV, or JSON with a concepts array). Idempotent per (url, version).
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Database } from '../db/database.ts';
import { builtinConcepts } from './builtin.ts';
import { importCodeSystem, prepareConcepts, storeConcepts } from './bulk-load.ts';
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
import type { ConceptInput } from './model.ts';
import { prepareCsvCatalogue } from './parallel-catalogue.ts';
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

/** Imports one file; returns what it stored. */
export async function importFile(
  db: Database,
  file: string,
  options: ImportOptions = {},
): Promise<ImportResult[]> {
  const progress = (n: number) => options.progress?.(file, n);
  if (isIcd10Main(file)) {
    const appendices = appendicesBeside(file);
    const flags = appendices ? await readIcd10Flags(appendices) : new Map();
    const { count } = await importCodeSystem(
      db,
      icd10Header(),
      withWeights(icd10Concepts(file, flags)),
      progress,
    );
    return [{ file, what: `ICD-10 VN (QĐ 4469)${appendices ? ' with appendix rule flags' : ''}`, count }];
  }
  if (isIcd10Appendices(file)) {
    return [{ file, what: 'ICD-10 appendices (read together with icd10_qd4469.csv beside it)', count: 0 }];
  }
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') {
    const header = catalogueHeader(catalogueOptions(file, options));
    const prepared =
      (await stat(file)).size >= PARALLEL_CSV_BYTES
        ? await prepareCsvCatalogue(file, progress)
        : await prepareConcepts(csvCatalogue(file), progress);
    const { count } = await storeConcepts(db, header, prepared);
    return [{ file, what: `catalogue ${options.url ?? ''}`, count }];
  }
  if (ext === '.json') {
    const json = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, '')) as Json;
    if (typeof json.resourceType === 'string') return importResource(db, file, json, options);
    if (Array.isArray(json.concepts)) {
      const concepts = (json.concepts as Json[]).map(catalogueConcept).filter((c) => c !== undefined);
      const o = catalogueOptions(file, options, json);
      const { count } = await importCodeSystem(db, catalogueHeader(o), concepts, progress);
      return [{ file, what: `catalogue ${o.url}`, count }];
    }
  }
  throw new Error(
    `${file}: not a terminology file this importer knows (ICD-10 VN CSV, catalogue CSV/JSON, FHIR JSON)`,
  );
}
