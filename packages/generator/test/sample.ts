// Shared test helper: runs the pure generator and collects its output in memory.
import { generatePopulation, type GenerateOptions } from '@hoso/generator';
import type { Resource, TruthRow } from '@hoso/generator';

export interface Sample {
  resources: Resource[];
  truth: TruthRow[];
  byType(type: string): Resource[];
}

export function sample(options: GenerateOptions): Sample {
  const resources: Resource[] = [];
  const truth: TruthRow[] = [];
  for (const output of generatePopulation(options).outputs) {
    if (output.kind === 'resource') resources.push(output.resource);
    else if (output.kind === 'truth') truth.push(output.row);
  }
  const groups = new Map<string, Resource[]>();
  for (const r of resources) {
    const list = groups.get(r.resourceType) ?? [];
    list.push(r);
    groups.set(r.resourceType, list);
  }
  return { resources, truth, byType: (type) => groups.get(type) ?? [] };
}

// Loosely typed views of generated JSON for assertions.
export interface PatientView {
  id: string;
  identifier: { system: string; value: string }[];
  name: { text: string; family: string; given: string[] }[];
  telecom?: { value: string }[];
  gender: string;
  birthDate: string;
  address: { extension: { extension: { url: string; valueCoding: { code: string } }[] }[]; text: string }[];
  managingOrganization: { reference: string };
}

export const asPatient = (r: Resource) => r as unknown as PatientView;
