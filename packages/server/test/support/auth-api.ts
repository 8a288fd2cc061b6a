// Test support for the authorization server: an app per engine with a one-time code channel that
// captures codes and a configurable rate limit, and helpers that walk the OAuth flows over HTTP
// (Fastify inject) the way a browser and a client would.
import { createHash, randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import type { InjectOptions } from 'fastify';
import { buildApp } from '../../src/app.ts';
import type { Account } from '../../src/auth/accounts.ts';
import type { OtpChannel } from '../../src/auth/otp.ts';
import type { AuthSettings } from '../../src/auth/plugin.ts';
import { type Api, BASE, type Reply, systemToken } from './api.ts';
import { type Engine, describeEachEngine } from './engines.ts';

export { BASE };
export const ISSUER = 'http://localhost:8080';
export const REDIRECT = 'https://app.example/callback';

export interface AuthApi extends Api {
  /** The last one-time code sent to each account id. */
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

export function describeAuthApi(
  title: string,
  body: (api: AuthApi, engine: Engine) => void,
  settings: Omit<AuthSettings, 'otp'> = {},
): void {
  describeEachEngine(title, (get, engine) => {
    const api = { codes: new Map<string, string>() } as AuthApi;
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
        auth: { ...settings, otp },
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

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface SignIn {
  clientId: string;
  login: string;
  password: string;
  scope: string;
  challenge: string;
  redirectUri?: string;
  state?: string;
  nonce?: string;
}

export const authorizeParams = (s: SignIn): Record<string, string> => ({
  response_type: 'code',
  client_id: s.clientId,
  redirect_uri: s.redirectUri ?? REDIRECT,
  scope: s.scope,
  state: s.state ?? 'state-123',
  aud: BASE,
  code_challenge: s.challenge,
  code_challenge_method: 'S256',
  ...(s.nonce ? { nonce: s.nonce } : {}),
});

/** The hidden `handle` of the one-time code page. */
export const handleOf = (html: string) => /name="handle" value="([^"]+)"/.exec(html)?.[1] ?? '';

/**
 * Walks the browser side: GET the sign-in page, POST the password, POST the captured one-time
 * code. Returns the final reply (a redirect to the client when all went well).
 */
export async function signIn(api: AuthApi, s: SignIn, accountId: string): Promise<Reply> {
  const params = authorizeParams(s);
  const page = await api.get(`/oauth2/authorize?${new URLSearchParams(params)}`);
  if (page.status !== 200) return page;
  const password = await api.post('/oauth2/authorize', {
    ...params,
    step: 'password',
    login: s.login,
    password: s.password,
  });
  if (password.status !== 200) return password;
  return api.post('/oauth2/authorize', {
    step: 'code',
    handle: handleOf(password.text),
    code: api.codes.get(accountId) ?? '',
  });
}

/** The `code` (or error) parameters of a redirect back to the client. */
export const redirectParams = (res: Reply): URLSearchParams =>
  new URL(String(res.headers.location)).searchParams;
