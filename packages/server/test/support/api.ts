// A FHIR test client over Fastify's inject, one per engine: builds the app on a fresh test
// database and offers small helpers that keep assertions about HTTP behaviour readable.
import { after, before } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../src/app.ts';
import type { Account } from '../../src/auth/accounts.ts';
import { registerClient } from '../../src/auth/clients.ts';
import type { OtpChannel } from '../../src/auth/otp.ts';
import type { AuthSettings } from '../../src/auth/plugin.ts';
import type { MpiOptions } from '../../src/mpi/routes.ts';
import type { Queryable } from '../../src/db/database.ts';
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
  /** A hub-level system client's access token (system/*.cruds), sent unless a test sends its own. */
  token: string;
  request(
    method: InjectOptions['method'],
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply>;
  /** The last one-time sign-in code sent to each account id (the SMS boundary, captured). */
  codes: Map<string, string>;
  /** A form POST (application/x-www-form-urlencoded) to a path outside /fhir. */
  post(
    path: string,
    form: Record<string, string>,
    headers?: Record<string, string>,
    remoteAddress?: string,
  ): Promise<Reply>;
  get(path: string, headers?: Record<string, string>): Promise<Reply>;
}

function reply(res: { statusCode: number; headers: Reply['headers']; body: string }): Reply {
  let body: unknown;
  try {
    body = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.statusCode, headers: res.headers, body, text: res.body };
}

export function describeApi(
  title: string,
  body: (api: Api, engine: Engine) => void,
  options: { auth?: Omit<AuthSettings, 'otp'>; mpi?: MpiOptions } = {},
): void {
  describeEachEngine(title, (get, engine) => {
    const api = { codes: new Map<string, string>() } as Api;
    const otp: OtpChannel = {
      async send(account: Account, code: string) {
        api.codes.set(account.id, code);
      },
    };
    before(async () => {
      api.db = get();
      api.app = await buildApp({
        db: api.db.db,
        baseUrl: () => BASE,
        bodyLimit: 1024 * 1024,
        auth: { ...options.auth, otp },
        ...(options.mpi ? { mpi: options.mpi } : {}),
      });
      api.token = await systemToken(api.app, api.db.db);
    });
    after(async () => {
      await api.app.close();
    });
    const inject = async (options: InjectOptions) => reply(await api.app.inject(options));
    api.request = (method, path, payload, headers = {}) =>
      inject({
        method,
        url: `/fhir/${path.replace(/^\//, '')}`,
        headers: {
          authorization: `Bearer ${api.token}`,
          ...(payload !== undefined ? { 'content-type': 'application/fhir+json' } : {}),
          ...headers,
        },
        ...(payload !== undefined
          ? { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }
          : {}),
      });
    api.post = (path, form, headers = {}, remoteAddress) =>
      inject({
        method: 'POST',
        url: path,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: new URLSearchParams(form).toString(),
        ...(remoteAddress ? { remoteAddress } : {}),
      });
    api.get = (path, headers = {}) => inject({ method: 'GET', url: path, headers });
    body(api, engine);
  });
}

/**
 * Registers a system client with every system scope and no facility (so the policy restricts it by
 * scope only) and obtains its token the way a script would: one client-credentials request.
 */
export async function systemToken(
  app: FastifyInstance,
  db: Queryable,
  scope = 'system/*.cruds',
): Promise<string> {
  const { client, secret } = await registerClient(db, {
    name: 'test suite',
    confidential: true,
    scopes: scope,
    grantTypes: ['client_credentials'],
    secret: true,
  });
  const res = await app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      scope,
      client_id: client.id,
      client_secret: secret!,
    }).toString(),
  });
  if (res.statusCode !== 200) throw new Error(`no test token (${res.statusCode}): ${res.body}`);
  return (JSON.parse(res.body) as { access_token: string }).access_token;
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
