// Patient/$match: the input Patient's candidates among the indexed facility records, as a FHIR
// searchset Bundle with search.score (posterior match probability under the EM prior) and the
// match-grade extension (certain / probable / possible / certainly-not). Reads only.
import { extractFeatures, type PatientLike } from '@hoso/mpi';
import type { Queryable } from '../db/database.ts';
import { badRequest } from '../errors.ts';
import type { Resource } from '../store/model.ts';
import { matchConfig } from './config.ts';
import { evidence, findCandidates, type Candidate } from './linker.ts';

const MATCH_GRADE = 'http://hl7.org/fhir/StructureDefinition/match-grade';
const MAX_COUNT = 100;

function grade(c: Candidate): string {
  const d = c.decision;
  if (d.outcome === 'link') return d.reason === 'score' ? 'probable' : 'certain';
  return d.outcome === 'review' ? 'possible' : 'certainly-not';
}

/** P(match | weight) with the prior odds (lambda) of a blocked pair being a match. */
function probability(weight: number, lambda: number): number {
  const priorLog2Odds = Math.log2(lambda / (1 - lambda));
  return 1 / (1 + 2 ** -(weight + priorLog2Odds));
}

interface ParametersResource {
  resourceType?: string;
  parameter?: {
    name?: string;
    resource?: PatientLike & { resourceType?: string };
    valueInteger?: number;
    valueBoolean?: boolean;
  }[];
}

export async function matchOperation(db: Queryable, baseUrl: string, body: unknown): Promise<Resource> {
  const params = body as ParametersResource;
  const input =
    params?.resourceType === 'Parameters'
      ? params.parameter?.find((p) => p.name === 'resource')?.resource
      : (body as PatientLike & { resourceType?: string });
  if (!input || input.resourceType !== 'Patient')
    throw badRequest('$match needs a Parameters resource with a Patient in "resource"');
  const count = params?.parameter?.find((p) => p.name === 'count')?.valueInteger ?? 10;
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT)
    throw badRequest(`$match count must be an integer from 1 to ${MAX_COUNT}`);
  const onlyCertain = params?.parameter?.find((p) => p.name === 'onlyCertainMatches')?.valueBoolean === true;
  const config = await matchConfig(db);
  const features = extractFeatures({ ...input, id: input.id ?? '' }, config.features);
  const candidates = (await findCandidates(db, features, config))
    .filter((c) => grade(c) !== 'certainly-not' && (!onlyCertain || grade(c) === 'certain'))
    .slice(0, count);
  const rows = candidates.length
    ? await db.query<{ id: string; content: string }>(
        "SELECT id, content FROM resource WHERE type = 'Patient' AND id = ANY($1::text[]) AND NOT deleted",
        [candidates.map((c) => c.recordId)],
      )
    : [];
  const content = new Map(rows.map((r) => [r.id, JSON.parse(r.content) as Resource]));
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: candidates.length,
    entry: candidates.flatMap((c) => {
      const resource = content.get(c.recordId);
      if (!resource) return [];
      return [
        {
          fullUrl: `${baseUrl}/Patient/${c.recordId}`,
          resource,
          search: {
            mode: 'match',
            score: Math.round(probability(c.decision.score, config.parameters.lambda) * 10000) / 10000,
            extension: [
              { url: MATCH_GRADE, valueCode: grade(c) },
              {
                url: 'https://hoso.example/fhir/StructureDefinition/mpi-person',
                valueReference: { reference: `Person/${c.personId}` },
              },
              {
                url: 'https://hoso.example/fhir/StructureDefinition/mpi-evidence',
                valueString: JSON.stringify(evidence(features, c.features, c.vector, config.weights)),
              },
            ],
          },
        },
      ];
    }),
  };
}
