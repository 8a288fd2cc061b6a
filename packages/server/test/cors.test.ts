// Browser SMART apps on another origin: the allowed origins (HOSO_CORS_ORIGINS) get CORS answers to
// preflights and reads, others none; development allows every origin, production none by default.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { BASE } from './support/api.ts';
import { type TestDatabase, openTestDatabase } from './support/engines.ts';

test('HOSO_CORS_ORIGINS: every origin in development, none in production, or the listed ones', () => {
  assert.equal(loadConfig({}, '/x').corsOrigins, '*');
  assert.deepEqual(loadConfig({ HOSO_ENV: 'production' }, '/x').corsOrigins, []);
  assert.deepEqual(
    loadConfig(
      { HOSO_ENV: 'production', HOSO_CORS_ORIGINS: 'https://app.example, http://localhost:5173' },
      '/x',
    ).corsOrigins,
    ['https://app.example', 'http://localhost:5173'],
  );
  assert.throws(() => loadConfig({ HOSO_CORS_ORIGINS: 'app.example/path' }, '/x'), /HOSO_CORS_ORIGINS/);
});

describe('CORS', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  before(async () => {
    db = await openTestDatabase('pglite');
    app = await buildApp({
      db: db.db,
      baseUrl: () => BASE,
      bodyLimit: 1024,
      corsOrigins: ['https://app.example'],
    });
  });
  after(async () => {
    await app.close();
    await db.dispose();
  });

  const preflight = (origin: string) =>
    app.inject({
      method: 'OPTIONS',
      url: '/fhir/Observation',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });

  test('an allowed origin passes the preflight and can read the token endpoint and the API answers', async () => {
    const res = await preflight('https://app.example');
    assert.equal(res.statusCode, 204);
    assert.equal(res.headers['access-control-allow-origin'], 'https://app.example');
    assert.match(String(res.headers['access-control-allow-headers']), /authorization/);
    const metadata = await app.inject({
      method: 'GET',
      url: '/fhir/metadata',
      headers: { origin: 'https://app.example' },
    });
    assert.equal(metadata.headers['access-control-allow-origin'], 'https://app.example');
    assert.match(String(metadata.headers['access-control-expose-headers']), /location/);
    const token = await app.inject({
      method: 'POST',
      url: '/oauth2/token',
      headers: { origin: 'https://app.example', 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials',
    });
    assert.equal(token.headers['access-control-allow-origin'], 'https://app.example');
  });

  test('security: another origin gets no CORS permission, and the API still wants a token', async () => {
    const res = await preflight('https://evil.example');
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    const read = await app.inject({
      method: 'GET',
      url: '/fhir/Observation',
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(read.statusCode, 401);
    assert.equal(read.headers['access-control-allow-origin'], undefined);
  });
});
