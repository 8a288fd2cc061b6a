// Flat catalogue files (national drug, service, lab lists, …) as concept streams. CSV columns:
// code, display (or display_vi), display_en, parent, weight; the code system's url, version and
// name come from the command line. JSON: { url, version, title, language, concepts: [ same ] }.
import type { CodeSystemHeader, ConceptInput } from '../model.ts';
import { csvObjects, csvRecordBatches, splitRecord } from './csv.ts';

export interface CatalogueOptions {
  url: string;
  version: string;
  title?: string;
  language?: string;
}

export function catalogueHeader(o: CatalogueOptions, content = 'complete'): CodeSystemHeader {
  return {
    url: o.url,
    version: o.version,
    content,
    caseSensitive: true,
    resource: {
      resourceType: 'CodeSystem',
      url: o.url,
      version: o.version,
      ...(o.title ? { title: o.title } : {}),
      status: 'active',
      language: o.language ?? 'vi',
      content,
      hierarchyMeaning: 'is-a',
    },
  };
}

export function catalogueConcept(r: Record<string, unknown>): ConceptInput | undefined {
  const code = String(r.code ?? '').trim();
  if (!code) return undefined;
  const display = String(r.display ?? r.display_vi ?? '').trim();
  const en = String(r.display_en ?? '').trim();
  const parent = String(r.parent ?? '').trim();
  const weight = Number(r.weight ?? 0);
  // Assigned rather than spread: one object shape for every row of a large file.
  const c: ConceptInput = { code, parents: parent ? [parent] : [] };
  if (display || en) c.display = display || en;
  if (en && display) c.designations = [{ language: 'en', value: en }];
  if (Number.isFinite(weight) && weight > 0) c.weight = Math.min(Math.round(weight), 2 ** 31 - 1);
  return c;
}

export async function* csvCatalogue(path: string): AsyncGenerator<ConceptInput> {
  for await (const records of csvRecordBatches(path)) {
    for (const r of records) {
      const c = catalogueConcept(r);
      if (c) yield c;
    }
  }
}

/** The concepts of CSV record lines under a header row (records without a code left out). */
export function catalogueLines(header: string[], lines: string[]): ConceptInput[] {
  const out: ConceptInput[] = [];
  for (const r of csvObjects(header, lines.map(splitRecord))) {
    const c = catalogueConcept(r);
    if (c) out.push(c);
  }
  return out;
}
