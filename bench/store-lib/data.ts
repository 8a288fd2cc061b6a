// The benchmark's data: the population generator's resource stream cut into transaction Bundles of
// 25 PUT entries (@hoso/generator's own bundling), serialised once before a phase is timed, so the
// load generator spends no CPU building data while the server is measured.
import { generatePopulation, transactionBundles, type Bundle } from '@hoso/generator';

export interface Batch {
  /** serialised transaction Bundles */
  bodies: Buffer[];
  /** resources in each bundle */
  sizes: number[];
  resources: number;
}

const PATIENT_REF = /"Patient\/([^"/]+)"/g;

export class BundleSource {
  private readonly bundles: Iterator<Bundle>;
  /** "Type/id" of every resource handed out so far (read-by-id targets) */
  readonly ids: string[] = [];
  /** resources per Patient id (the Patient itself plus everything naming it), for $everything */
  private readonly compartmentSize = new Map<string, number>();
  readonly typeCounts = new Map<string, number>();
  private exhausted = false;

  constructor(seed: string, asOf = '2026-01-01') {
    // The stream is lazy: asking for 10 M people costs nothing until they are iterated.
    const population = generatePopulation({ patients: 10_000_000, seed, asOf });
    function* resources() {
      for (const output of population.outputs) if (output.kind === 'resource') yield output.resource;
    }
    this.bundles = transactionBundles(resources())[Symbol.iterator]();
  }

  /** Takes whole bundles until at least `resources` resources (fewer only if the stream ends). */
  take(resources: number): Batch {
    const batch: Batch = { bodies: [], sizes: [], resources: 0 };
    while (batch.resources < resources && !this.exhausted) {
      const next = this.bundles.next();
      if (next.done) {
        this.exhausted = true;
        break;
      }
      const bundle = next.value;
      for (const { resource } of bundle.entry) {
        this.ids.push(`${resource.resourceType}/${resource.id}`);
        this.typeCounts.set(resource.resourceType, (this.typeCounts.get(resource.resourceType) ?? 0) + 1);
        const patients = new Set<string>();
        if (resource.resourceType === 'Patient') patients.add(resource.id);
        for (const m of JSON.stringify(resource).matchAll(PATIENT_REF)) patients.add(m[1]!);
        for (const p of patients) this.compartmentSize.set(p, (this.compartmentSize.get(p) ?? 0) + 1);
      }
      batch.bodies.push(Buffer.from(JSON.stringify(bundle)));
      batch.sizes.push(bundle.entry.length);
      batch.resources += bundle.entry.length;
    }
    return batch;
  }

  /** The loaded Patient whose compartment is closest to `target` resources. */
  patientNear(target: number): { id: string; resources: number } | undefined {
    let best: { id: string; resources: number } | undefined;
    for (const [id, resources] of this.compartmentSize) {
      if (!best || Math.abs(resources - target) < Math.abs(best.resources - target)) best = { id, resources };
    }
    return best;
  }
}
