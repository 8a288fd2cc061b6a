// Development demo access, so tools and people can get in at once: a facility system client
// (client secret and a private_key_jwt key pair), a patient account for the demo persona and a
// clinician account at the persona's facility. Credentials are random, kept in files in the data
// folder (mode 0600) and printed at start. Only ever called in development with the demo loaded.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { VN_FHIR } from '@hoso/vn/fhir-conventions';
import type { Database } from '../db/database.ts';
import { createAccount, findAccountByLogin, setPassword } from './accounts.ts';
import { findClient, registerClient, rotateClientCredentials } from './clients.ts';
import { newSecret } from './secrets.ts';

export const DEMO_CLIENT_ID = 'hoso-demo-system';
export const DEMO_CLINICIAN = 'bs.demo';
const CREDENTIALS_FILE = 'demo-access.json';
const KEY_FILE = 'demo-system-client.jwk.json';

export interface DemoAccess {
  clientId: string;
  clientSecret: string;
  /** The private JWK (ES384) for private_key_jwt. */
  privateKeyFile: string;
  patient?: { citizenId: string; password: string };
  clinician?: {
    username: string;
    password: string;
    organization: string;
    practitioner: string;
    role: string;
  };
}

interface SeedResource {
  resourceType?: string;
  identifier?: { system?: string; value?: string }[];
  managingOrganization?: { reference?: string };
}

/** The persona: the demo's first Patient (population.ts puts the persona first). */
export function demoPersona(bundles: Iterable<{ entry?: unknown[] }>): {
  citizenId?: string;
  organization?: string;
} {
  for (const bundle of bundles) {
    for (const entry of (bundle.entry ?? []) as { resource?: SeedResource }[]) {
      const r = entry.resource;
      if (r?.resourceType !== 'Patient') continue;
      return {
        citizenId: r.identifier?.find((i) => i.system === VN_FHIR.identifierSystems.citizenId)?.value,
        organization: r.managingOrganization?.reference?.replace(/^Organization\//, ''),
      };
    }
  }
  return {};
}

interface RoleRow {
  id: string;
  content: string;
}

/** A practitioner role at the organization, a doctor when there is one. */
async function clinicianAt(db: Database, organization: string) {
  const rows = await db.query<RoleRow>(
    "SELECT id, content FROM resource WHERE type = 'PractitionerRole' AND NOT deleted ORDER BY id",
  );
  const roles = rows
    .map(
      (r) =>
        JSON.parse(r.content) as {
          practitioner?: { reference?: string };
          organization?: { reference?: string };
          code?: { coding?: { code?: string }[] }[];
        },
    )
    .filter((r) => r.organization?.reference === `Organization/${organization}` && r.practitioner?.reference)
    .map((r) => ({
      practitioner: r.practitioner!.reference!.replace(/^Practitioner\//, ''),
      role: r.code?.[0]?.coding?.[0]?.code ?? 'doctor',
    }));
  return roles.find((r) => r.role === 'doctor') ?? roles[0];
}

const writePrivate = (path: string, value: unknown) => {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
};

async function upsertAccount(
  db: Database,
  login: string,
  create: (password: string) => Promise<unknown>,
): Promise<string> {
  const password = newSecret().slice(0, 16);
  const existing = await findAccountByLogin(db, login);
  if (existing) await setPassword(db, existing.id, password);
  else await create(password);
  return password;
}

/**
 * The demo access, creating or re-keying it when its credentials file is missing (a fresh data
 * folder, or a PostgreSQL database used from another folder). `persona` is read only then.
 */
export async function ensureDemoAccess(
  db: Database,
  dataDir: string,
  persona: () => Promise<{ citizenId?: string; organization?: string }>,
): Promise<DemoAccess> {
  const file = join(dataDir, CREDENTIALS_FILE);
  if (existsSync(file) && (await findClient(db, DEMO_CLIENT_ID))) {
    return JSON.parse(readFileSync(file, 'utf8')) as DemoAccess;
  }
  const { citizenId, organization } = await persona();
  const pair = await generateKeyPair('ES384', { extractable: true });
  const kid = `${DEMO_CLIENT_ID}-${newSecret().slice(0, 8)}`;
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES384', use: 'sig' };
  const privateKeyFile = join(dataDir, KEY_FILE);
  writePrivate(privateKeyFile, { ...(await exportJWK(pair.privateKey)), kid, alg: 'ES384' });
  const clientSecret = (await findClient(db, DEMO_CLIENT_ID))
    ? (await rotateClientCredentials(db, DEMO_CLIENT_ID, { keys: [publicJwk] }))!
    : (
        await registerClient(db, {
          id: DEMO_CLIENT_ID,
          name: 'Hồ Sơ demo facility system',
          confidential: true,
          secret: true,
          jwks: { keys: [publicJwk] },
          scopes: 'system/*.cruds',
          organizationId: organization ?? 'demo',
        })
      ).secret!;
  const access: DemoAccess = { clientId: DEMO_CLIENT_ID, clientSecret, privateKeyFile };
  if (citizenId) {
    const password = await upsertAccount(db, citizenId, (p) =>
      createAccount(db, { kind: 'patient', login: citizenId, password: p }),
    );
    access.patient = { citizenId, password };
  }
  const role = organization ? await clinicianAt(db, organization) : undefined;
  if (organization && role) {
    const password = await upsertAccount(db, DEMO_CLINICIAN, (p) =>
      createAccount(db, {
        kind: 'practitioner',
        login: DEMO_CLINICIAN,
        password: p,
        practitionerId: role.practitioner,
        organizationId: organization,
        role: role.role,
      }),
    );
    access.clinician = { username: DEMO_CLINICIAN, password, organization, ...role };
  }
  writePrivate(file, access);
  return access;
}

/** The lines `npm start` prints. */
export function describeDemoAccess(access: DemoAccess, issuer: string): string[] {
  const lines = [
    'Demo access (development only; also in the data folder, demo-access.json):',
    `  facility system client: id ${access.clientId}, secret ${access.clientSecret}`,
    `    private_key_jwt key (ES384): ${access.privateKeyFile}`,
    `    get a token: curl -s -u '${access.clientId}:${access.clientSecret}' -d grant_type=client_credentials -d 'scope=system/*.rs' ${issuer}/oauth2/token`,
  ];
  if (access.patient) {
    lines.push(
      `  patient (the persona Nguyễn Văn Hùng): citizen ID ${access.patient.citizenId}, password ${access.patient.password}`,
    );
  }
  if (access.clinician) {
    lines.push(
      `  clinician: username ${access.clinician.username}, password ${access.clinician.password} (Practitioner/${access.clinician.practitioner}, ${access.clinician.role} at Organization/${access.clinician.organization})`,
    );
  }
  if (access.patient || access.clinician) lines.push('  sign-in one-time codes are printed in this log');
  return lines;
}
