// A FHIR test client over Fastify's inject, one per engine: builds the app on a fresh test
// database and offers small helpers that keep assertions about HTTP behaviour readable.
import { after, before } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { type Engine, type TestDatabase, describeEachEngine } from './engines.ts';

export const BASE = 'http://localhost:8080/fhir';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

export interface Api {
  app: FastifyInstance;
  db: TestDatabase;
  request(
    method: InjectOptions['method'],
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply>;
}

export function describeApi(title: string, body: (api: Api, engine: Engine) => void): void {
  describeEachEngine(title, (get, engine) => {
    const api = {} as Api;
    before(async () => {
      api.db = get();
      api.app = await buildApp({ db: api.db.db, baseUrl: () => BASE, bodyLimit: 1024 * 1024 });
    });
    after(async () => {
      await api.app.close();
    });
    api.request = async (method, path, payload, headers = {}) => {
      const isText = typeof payload === 'string';
      const res = await api.app.inject({
        method,
        url: `/fhir/${path.replace(/^\//, '')}`,
        headers: {
          ...(payload !== undefined ? { 'content-type': 'application/fhir+json' } : {}),
          ...headers,
        },
        ...(payload !== undefined ? { payload: isText ? payload : JSON.stringify(payload) } : {}),
      });
      let parsed: unknown;
      try {
        parsed = res.body ? JSON.parse(res.body) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.statusCode, headers: res.headers, body: parsed, text: res.body };
    };
    body(api, engine);
  });
}

/** Stores resources with client ids (PUT in one transaction) and fails the test if that fails. */
export async function putAll(
  api: Api,
  resources: readonly { resourceType: string; id: string }[],
): Promise<void> {
  const res = await api.request('POST', '', {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: resources.map((resource) => ({
      resource,
      request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
    })),
  });
  if (res.status !== 200) throw new Error(`storing the fixtures failed (${res.status}): ${res.text}`);
}
