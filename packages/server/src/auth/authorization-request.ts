// Checks an authorization request (RFC 6749 §4.1.1, PKCE RFC 7636, SMART App Launch `aud`). Until
// the client and its exact redirect URI are known, errors must be shown to the user, never
// redirected (an open redirector otherwise); after that, errors go back to the client.
import type { Queryable } from '../db/database.ts';
import { parseScopes } from '../access/scopes.ts';
import { type Client, findClient } from './clients.ts';
import type { Form } from './form.ts';

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string;
  codeChallenge: string;
  nonce?: string;
}

export type RequestCheck =
  | { ok: true; request: AuthorizationRequest; client: Client }
  | { ok: false; page: string }
  | { ok: false; redirect: string };

const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** The redirect URI with the given parameters added (error or code, state, iss). */
export function redirectWith(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}

const sameBase = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

export async function checkAuthorizationRequest(
  db: Queryable,
  form: Form,
  fhirBase: string,
  issuer: string,
): Promise<RequestCheck> {
  const clientId = form.get('client_id');
  const client = clientId ? await findClient(db, clientId) : undefined;
  if (!client) return { ok: false, page: 'unknown or missing client_id' };
  const redirectUri = form.get('redirect_uri');
  if (!redirectUri || !client.redirectUris.includes(redirectUri)) {
    return { ok: false, page: 'redirect_uri is missing or is not registered for this client' };
  }
  const state = form.get('state');
  const fail = (error: string, description: string) => ({
    ok: false as const,
    redirect: redirectWith(redirectUri, { error, error_description: description, state, iss: issuer }),
  });
  if (form.get('response_type') !== 'code')
    return fail('unsupported_response_type', 'response_type must be code');
  if (!client.grantTypes.includes('authorization_code')) {
    return fail('unauthorized_client', 'this client may not use the authorization code flow');
  }
  if (!state) return fail('invalid_request', 'state is required');
  if (form.get('code_challenge_method') !== 'S256') {
    return fail('invalid_request', 'PKCE is required with code_challenge_method=S256 (plain is refused)');
  }
  const codeChallenge = form.get('code_challenge');
  if (!codeChallenge || !CHALLENGE.test(codeChallenge)) {
    return fail('invalid_request', 'code_challenge must be a base64url SHA-256 (43 characters)');
  }
  const aud = form.get('aud');
  if (!aud || !sameBase(aud, fhirBase))
    return fail('invalid_request', `aud must be this server's FHIR base URL ${fhirBase}`);
  const scope = form.get('scope');
  if (!scope || parseScopes(scope).resources.length === 0) {
    return fail('invalid_scope', 'scope must ask for at least one resource scope');
  }
  const nonce = form.get('nonce');
  return {
    ok: true,
    client,
    request: { clientId: client.id, redirectUri, scope, state, codeChallenge, ...(nonce ? { nonce } : {}) },
  };
}
