// `npm run bench:auth`: what the authorization server costs. Per engine: verifying an access token
// (signature and claims alone, and the whole authenticate() with its revocation lookup, for a
// token seen before and for a new one), and the
// token endpoint's client_credentials grant with a client secret and with private_key_jwt
// (sequential requests through Fastify inject: latency, throughput, CPU per request). Also the
// scrypt password hash. Bounded; prints Markdown tables.
//
//   node --import tsx bench/auth.ts [--engine pglite|pg|both] [--verify 5000] [--tokens 400]
//   (pg uses HOSO_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test, and a
//   scratch database it drops afterwards)
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import pg from 'pg';
import { buildApp } from '@hoso/server/app';
import type { Database } from '@hoso/server/db/database';
import { migrate } from '@hoso/server/db/migrations';
import { openPglite } from '@hoso/server/db/pglite';
import { openPostgres } from '@hoso/server/db/postgres';
import { registerClient } from '@hoso/server/auth/clients';
import { loadSigningKey } from '@hoso/server/auth/keys';
import { hashPassword } from '@hoso/server/auth/passwords';
import { signAccessToken, verifyAccessToken } from '@hoso/server/auth/tokens';
import { summarize, table } from './store-lib/stats.ts';

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    verify: { type: 'string', default: '5000' },
    tokens: { type: 'string', default: '400' },
  },
});
const VERIFY = Number(args.verify);
const TOKENS = Number(args.tokens);
const BASE = 'http://localhost:8080/fhir';
const TOKEN_ENDPOINT = 'http://localhost:8080/oauth2/token';
const progress = (msg: string) => process.stderr.write(`[bench:auth] ${msg}\n`);

interface Scratch {
  db: Database;
  dispose(): Promise<void>;
}

async function scratch(engine: 'pglite' | 'pg'): Promise<Scratch> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'bench-auth-'));
    const db = await openPglite(dir);
    await migrate(db);
    return { db, dispose: async () => (await db.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const url = process.env.HOSO_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `bench_auth_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const db = await openPostgres(dbUrl.toString(), 4);
  await migrate(db);
  return {
    db,
    dispose: async () => {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Runs `fn` `n` times sequentially; per-call wall time (ms), CPU ms per call and calls per second. */
async function measure(n: number, fn: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    latencies.push(performance.now() - t);
  }
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return {
    ...summarize(latencies),
    perSecond: Math.round((n / wall) * 1000),
    cpuMs: Math.round(((used.user + used.system) / 1000 / n) * 1000) / 1000,
  };
}

async function post(app: FastifyInstance, form: Record<string, string>, authorization?: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(authorization ? { authorization } : {}),
    },
    payload: new URLSearchParams(form).toString(),
  });
  if (res.statusCode !== 200) throw new Error(`token request failed (${res.statusCode}): ${res.body}`);
  return JSON.parse(res.body) as { access_token: string };
}

async function run(engine: 'pglite' | 'pg') {
  const s = await scratch(engine);
  try {
    const app = await buildApp({
      db: s.db,
      baseUrl: () => BASE,
      bodyLimit: 1024 * 1024,
      auth: { rateLimit: { max: 1e9, windowMs: 60_000 } },
    });
    const pair = await generateKeyPair('ES384', { extractable: true });
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'bench', alg: 'ES384' };
    const { client, secret } = await registerClient(s.db, {
      id: 'bench-system',
      name: 'bench',
      confidential: true,
      secret: true,
      jwks: { keys: [publicJwk] },
      scopes: 'system/*.rs',
      organizationId: 'org-bench',
    });
    const basic = `Basic ${Buffer.from(`${client.id}:${secret}`).toString('base64')}`;
    const form = { grant_type: 'client_credentials', scope: 'system/*.rs' };
    const { access_token: token } = await post(app, form, basic);
    const key = await loadSigningKey(s.db);
    const audience = { issuer: 'http://localhost:8080', fhirBase: BASE };
    const request = { headers: { authorization: `Bearer ${token}` } } as FastifyRequest;
    for (let i = 0; i < 200; i++) await app.authenticate(request); // warm-up
    progress(`${engine}: verifying ${VERIFY} tokens`);
    const verifyOnly = await measure(VERIFY, () => verifyAccessToken(token, key, audience));
    const authenticate = await measure(VERIFY, () => app.authenticate(request));
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      string
    >;
    const fresh: FastifyRequest[] = [];
    for (let i = 0; i < VERIFY; i++) {
      const subject = {
        kind: 'system' as const,
        subject: claims.sub!,
        clientId: client.id,
        scope: 'system/*.rs',
        grantId: claims.gid!,
      };
      fresh.push({
        headers: { authorization: `Bearer ${await signAccessToken(key, audience, subject)}` },
      } as FastifyRequest);
    }
    const authenticateNew = await measure(VERIFY, (i) => app.authenticate(fresh[i]!));
    progress(`${engine}: ${TOKENS} token requests with a secret`);
    const bySecret = await measure(TOKENS, () => post(app, form, basic));
    const assertions: string[] = [];
    for (let i = 0; i < TOKENS; i++) {
      assertions.push(
        await new SignJWT({})
          .setProtectedHeader({ alg: 'ES384', kid: 'bench' })
          .setIssuer(client.id)
          .setSubject(client.id)
          .setAudience(TOKEN_ENDPOINT)
          .setJti(randomUUID())
          .setExpirationTime('4m')
          .sign(pair.privateKey),
      );
    }
    progress(`${engine}: ${TOKENS} token requests with private_key_jwt`);
    const byKey = await measure(TOKENS, (i) =>
      post(app, {
        ...form,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertions[i]!,
      }),
    );
    await app.close();
    const ops: [string, Awaited<ReturnType<typeof measure>>][] = [
      [`verify signature + claims (${VERIFY})`, verifyOnly],
      [`authenticate(), token seen before (${VERIFY})`, authenticate],
      [`authenticate(), each token new (${VERIFY})`, authenticateNew],
      [`POST /oauth2/token, client secret (${TOKENS})`, bySecret],
      [`POST /oauth2/token, private_key_jwt (${TOKENS})`, byKey],
    ];
    return { engine, ops };
  } finally {
    await s.dispose();
  }
}

const engines = args.engine === 'both' ? (['pglite', 'pg'] as const) : [args.engine as 'pglite' | 'pg'];
const results = [];
for (const engine of engines) results.push(await run(engine));
const hashes = await measure(10, () => hashPassword('a benchmark password'));

const rows = results.flatMap((r) =>
  r.ops.map(([label, m]) => [r.engine, label, m.p50, m.p95, m.perSecond, m.cpuMs]),
);
rows.push(['—', 'scrypt password hash (10)', hashes.p50, hashes.p95, hashes.perSecond, hashes.cpuMs]);
console.log(table(['engine', 'operation (n)', 'p50 ms', 'p95 ms', 'per s', 'CPU ms/op'], rows));
