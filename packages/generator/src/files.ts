// Writing the generator's output to disk: NDJSON files per resource type (like FHIR bulk data),
// or transaction bundles one per line, and the ground-truth CSV. Buffers text into large chunks
// and honours stream backpressure, so memory stays flat. The only file writing of the generator.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { toBundle, DEFAULT_BUNDLE_SIZE } from './bundles.ts';
import type { Resource, TruthRow } from './types.ts';

const CHUNK_CHARS = 1 << 20;

/** A text file written in large chunks; `write` returns a promise only when the caller must wait. */
export class BufferedFile {
  private readonly stream: WriteStream;
  private parts: string[] = [];
  private size = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
  }

  write(text: string): Promise<void> | undefined {
    this.parts.push(text);
    this.size += text.length;
    return this.size >= CHUNK_CHARS ? this.flush() : undefined;
  }

  private flush(): Promise<void> | undefined {
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (this.stream.write(chunk)) return undefined;
    return once(this.stream, 'drain').then(() => undefined);
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

export interface ResourceSink {
  /** a promise only when the caller must wait (backpressure) */
  write(resource: Resource): Promise<void> | undefined;
  close(): Promise<void>;
  /** what was written, for the summary */
  readonly files: readonly string[];
}

/** one `<ResourceType>.ndjson` file per type */
export class NdjsonSink implements ResourceSink {
  private readonly byType = new Map<string, BufferedFile>();

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  get files(): string[] {
    return [...this.byType.values()].map((f) => f.path);
  }

  write(resource: Resource): Promise<void> | undefined {
    return this.writeText(resource.resourceType, JSON.stringify(resource) + '\n');
  }

  /** already serialised lines of one resource type */
  writeText(type: string, text: string): Promise<void> | undefined {
    let file = this.byType.get(type);
    if (!file) {
      file = new BufferedFile(join(this.dir, `${type}.ndjson`));
      this.byType.set(type, file);
    }
    return file.write(text);
  }

  async close(): Promise<void> {
    await Promise.all([...this.byType.values()].map((f) => f.close()));
  }
}

/** `bundles.ndjson`: one transaction Bundle per line */
export class BundleFileSink implements ResourceSink {
  private readonly file: BufferedFile;
  private batch: Resource[] = [];

  constructor(
    dir: string,
    private readonly size = DEFAULT_BUNDLE_SIZE,
  ) {
    mkdirSync(dir, { recursive: true });
    this.file = new BufferedFile(join(dir, 'bundles.ndjson'));
  }

  get files(): string[] {
    return [this.file.path];
  }

  write(resource: Resource): Promise<void> | undefined {
    this.batch.push(resource);
    if (this.batch.length < this.size) return undefined;
    const bundle = toBundle(this.batch);
    this.batch = [];
    return this.file.write(JSON.stringify(bundle) + '\n');
  }

  async close(): Promise<void> {
    if (this.batch.length > 0) await this.file.write(JSON.stringify(toBundle(this.batch)) + '\n');
    await this.file.close();
  }
}

export const TRUTH_HEADER = 'patient_id,person_id,facility_code,registered\n';

/** one line of truth.csv */
export function truthLine(row: TruthRow): string {
  return `${row.patientId},${row.personId},${row.facilityCode},${row.registered}\n`;
}

/** `truth.csv`: which person each facility Patient record belongs to */
export class TruthFile {
  private readonly file: BufferedFile;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = new BufferedFile(join(dir, 'truth.csv'));
    this.file.write(TRUTH_HEADER);
  }

  get path(): string {
    return this.file.path;
  }

  write(row: TruthRow): Promise<void> | undefined {
    return this.file.write(truthLine(row));
  }

  /** already formatted lines */
  writeText(text: string): Promise<void> | undefined {
    return this.file.write(text);
  }

  close(): Promise<void> {
    return this.file.close();
  }
}
