// Test support for the authorization server: describeApi's app (one-time codes captured) with a
// configurable rate limit, and helpers that walk the OAuth flows over HTTP (Fastify inject) the way
// a browser and a client would.
import { createHash, randomBytes } from 'node:crypto';
import type { AuthSettings } from '../../src/auth/plugin.ts';
import { type Api, BASE, type Reply, describeApi } from './api.ts';
import type { Engine } from './engines.ts';

export { BASE };
export const ISSUER = 'http://localhost:8080';
export const REDIRECT = 'https://app.example/callback';

/** The test client of describeApi: it captures one-time codes and posts forms outside /fhir. */
export type AuthApi = Api;

/** describeApi with the authorization server's settings (rate limit) for the auth tests. */
export function describeAuthApi(
  title: string,
  body: (api: AuthApi, engine: Engine) => void,
  settings: Omit<AuthSettings, 'otp'> = {},
): void {
  describeApi(title, body, { auth: settings });
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
