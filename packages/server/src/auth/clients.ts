// Registered OAuth clients and how they prove who they are. Public clients (apps in a browser or on
// a phone) have redirect URIs and no secret and must use PKCE; confidential clients have a secret
// (stored as a hash), a JWKS for private_key_jwt (SMART Backend Services), or both. Facility
// systems are confidential clients with client_credentials and their facility Organization (none:
// a hub-level system, limited by its scopes alone).
import { decodeJwt, type JSONWebKeySet, createLocalJWKSet, jwtVerify } from 'jose';
import type { Queryable } from '../db/database.ts';
import { badRequest, conflict } from '../errors.ts';
import type { Form } from './form.ts';
import { OAuthError } from './oauth-error.ts';
import { newSecret, safeEqual, sha256 } from './secrets.ts';
import { randomUUID } from 'node:crypto';

export type GrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';
const GRANT_TYPES: readonly GrantType[] = ['authorization_code', 'refresh_token', 'client_credentials'];

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** SMART Backend Services asks servers to support RS384 and ES384; RS256/ES256 are accepted too. */
export const ASSERTION_ALGS = ['RS384', 'ES384', 'RS256', 'ES256'];
const MAX_ASSERTION_SECONDS = 5 * 60;

export interface Client {
  id: string;
  name: string;
  confidential: boolean;
  redirectUris: string[];
  scopes: string;
  organizationId?: string;
  grantTypes: GrantType[];
  hasSecret: boolean;
  jwks?: JSONWebKeySet;
}

export interface NewClient {
  id?: string;
  name: string;
  confidential: boolean;
  redirectUris?: string[];
  scopes: string;
  organizationId?: string;
  grantTypes?: GrantType[];
  /** Issue a client secret (returned once). */
  secret?: boolean;
  jwks?: JSONWebKeySet;
}

interface ClientRow {
  id: string;
  name: string;
  confidential: boolean;
  redirect_uris: string[];
  secret_hash: string | null;
  jwks: string | null;
  scopes: string;
  organization_id: string | null;
  grant_types: GrantType[];
  active: boolean;
}

const COLUMNS =
  'id, name, confidential, redirect_uris, secret_hash, jwks, scopes, organization_id, grant_types, active';

const toClient = (r: ClientRow): Client => ({
  id: r.id,
  name: r.name,
  confidential: r.confidential,
  redirectUris: r.redirect_uris,
  scopes: r.scopes,
  grantTypes: r.grant_types,
  hasSecret: r.secret_hash !== null,
  ...(r.organization_id ? { organizationId: r.organization_id } : {}),
  ...(r.jwks ? { jwks: JSON.parse(r.jwks) as JSONWebKeySet } : {}),
});

function isAllowedRedirect(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (url.hash || url.username || url.password) return false;
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  return (
    url.protocol === 'https:' ||
    (url.protocol === 'http:' && loopback) ||
    /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol)
  );
}

function checkJwks(jwks: unknown): asserts jwks is JSONWebKeySet {
  const keys = (jwks as { keys?: unknown })?.keys;
  if (
    !Array.isArray(keys) ||
    keys.length === 0 ||
    keys.some((k) => typeof k !== 'object' || !k || 'd' in k || 'k' in k)
  ) {
    throw badRequest('jwks must be a JWK Set of public keys (no private or symmetric key material)');
  }
}

function checkNewClient(c: NewClient, grantTypes: GrantType[]): void {
  if (typeof c.name !== 'string' || !c.name.trim()) throw badRequest('name is required');
  if (c.id !== undefined && !/^[A-Za-z0-9._-]{3,64}$/.test(c.id)) {
    throw badRequest('id is 3–64 letters, digits, ".", "_" or "-"');
  }
  if (typeof c.scopes !== 'string' || !c.scopes.trim()) throw badRequest('scopes is required');
  if (grantTypes.length === 0 || grantTypes.some((g) => !GRANT_TYPES.includes(g))) {
    throw badRequest(`grantTypes must be some of ${GRANT_TYPES.join(', ')}`);
  }
  const uris = c.redirectUris ?? [];
  if (!Array.isArray(uris) || uris.some((u) => typeof u !== 'string' || !isAllowedRedirect(u))) {
    throw badRequest('redirectUris must be absolute https URIs (http only for localhost), without fragments');
  }
  if (grantTypes.includes('authorization_code') && uris.length === 0) {
    throw badRequest('a client using authorization_code needs at least one redirect URI');
  }
  if (c.confidential) {
    if (!c.secret && !c.jwks) throw badRequest('a confidential client needs a secret, a jwks or both');
    if (c.jwks) checkJwks(c.jwks);
  } else if (c.secret || c.jwks || grantTypes.includes('client_credentials')) {
    throw badRequest('a public client has no secret, no jwks and no client_credentials grant');
  }
}

/** Registers a client; the secret, when one was asked for, is returned here and never again. */
export async function registerClient(
  db: Queryable,
  c: NewClient,
): Promise<{ client: Client; secret?: string }> {
  const grantTypes =
    c.grantTypes ?? (c.confidential ? ['client_credentials'] : ['authorization_code', 'refresh_token']);
  checkNewClient(c, grantTypes);
  const secret = c.secret ? newSecret() : undefined;
  const rows = await db.query<ClientRow>(
    `INSERT INTO auth_client (id, name, confidential, redirect_uris, secret_hash, jwks, scopes, organization_id, grant_types)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}`,
    [
      c.id ?? randomUUID(),
      c.name.trim(),
      c.confidential,
      c.redirectUris ?? [],
      secret ? sha256(secret) : null,
      c.jwks ? JSON.stringify(c.jwks) : null,
      c.scopes.trim(),
      c.organizationId ?? null,
      grantTypes,
    ],
  );
  if (!rows[0]) throw conflict(`a client with the id ${c.id} already exists`);
  return { client: toClient(rows[0]), ...(secret ? { secret } : {}) };
}

/** Replaces a client's secret and/or JWKS (the demo rotates both when its key file is missing). */
export async function rotateClientCredentials(
  db: Queryable,
  id: string,
  jwks: JSONWebKeySet | undefined,
): Promise<string | undefined> {
  if (jwks) checkJwks(jwks);
  const secret = newSecret();
  const rows = await db.query(
    'UPDATE auth_client SET secret_hash = $2, jwks = COALESCE($3, jwks) WHERE id = $1 RETURNING id',
    [id, sha256(secret), jwks ? JSON.stringify(jwks) : null],
  );
  return rows.length > 0 ? secret : undefined;
}

export async function findClient(db: Queryable, id: string): Promise<Client | undefined> {
  const [row] = await db.query<ClientRow>(`SELECT ${COLUMNS} FROM auth_client WHERE id = $1 AND active`, [
    id,
  ]);
  return row ? toClient(row) : undefined;
}

async function secretMatches(db: Queryable, id: string, secret: string): Promise<Client | undefined> {
  const [row] = await db.query<ClientRow>(`SELECT ${COLUMNS} FROM auth_client WHERE id = $1 AND active`, [
    id,
  ]);
  return row?.secret_hash && safeEqual(row.secret_hash, sha256(secret)) ? toClient(row) : undefined;
}

function basicCredentials(header: string): [string, string] {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
  const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new OAuthError('invalid_client', 'malformed Basic credentials');
  try {
    return [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
  } catch {
    throw new OAuthError('invalid_client', 'malformed Basic credentials');
  }
}

async function verifyAssertion(db: Queryable, assertion: string, tokenEndpoint: string): Promise<Client> {
  const failed = () => new OAuthError('invalid_client', 'the client assertion was not accepted');
  let clientId: string | undefined;
  try {
    clientId = decodeJwt(assertion).iss;
  } catch {
    throw failed();
  }
  const client = clientId ? await findClient(db, clientId) : undefined;
  if (!client?.jwks) throw failed();
  let payload;
  try {
    ({ payload } = await jwtVerify(assertion, createLocalJWKSet(client.jwks), {
      algorithms: ASSERTION_ALGS,
      issuer: client.id,
      subject: client.id,
      audience: tokenEndpoint,
      requiredClaims: ['exp', 'jti'],
      clockTolerance: 5,
    }));
  } catch {
    throw failed();
  }
  const now = Math.floor(Date.now() / 1000);
  if (payload.exp! > now + MAX_ASSERTION_SECONDS) {
    throw new OAuthError('invalid_client', 'the client assertion must expire within 5 minutes');
  }
  // One statement (one commit): forget expired ids, remember this one unless it was seen.
  const fresh = await db.query(
    `WITH expired AS (DELETE FROM auth_assertion WHERE expires_at < now())
     INSERT INTO auth_assertion (client_id, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING jti`,
    [client.id, payload.jti!, new Date((payload.exp! + 60) * 1000)],
  );
  if (fresh.length === 0)
    throw new OAuthError('invalid_client', 'the client assertion was already used (jti replay)');
  return client;
}

/**
 * Who is calling an OAuth endpoint: exactly one of client_secret_basic, client_secret_post,
 * private_key_jwt, or (public clients only) a bare client_id. Throws invalid_client otherwise.
 */
export async function authenticateClient(
  db: Queryable,
  form: Form,
  authorization: string | undefined,
  tokenEndpoint: string,
): Promise<Client> {
  const methods = [
    authorization?.startsWith('Basic '),
    form.has('client_secret'),
    form.has('client_assertion'),
  ];
  if (methods.filter(Boolean).length > 1) {
    throw new OAuthError('invalid_request', 'use exactly one client authentication method');
  }
  const formId = form.get('client_id');
  let client: Client | undefined;
  if (authorization?.startsWith('Basic ')) {
    const [id, secret] = basicCredentials(authorization);
    if (formId !== undefined && formId !== id)
      throw new OAuthError('invalid_request', 'client_id does not match');
    client = await secretMatches(db, id, secret);
  } else if (form.has('client_secret')) {
    client = formId ? await secretMatches(db, formId, form.get('client_secret')!) : undefined;
  } else if (form.has('client_assertion')) {
    if (form.get('client_assertion_type') !== ASSERTION_TYPE) {
      throw new OAuthError('invalid_request', `client_assertion_type must be ${ASSERTION_TYPE}`);
    }
    client = await verifyAssertion(db, form.get('client_assertion')!, tokenEndpoint);
    if (formId !== undefined && formId !== client.id)
      throw new OAuthError('invalid_request', 'client_id does not match');
  } else if (formId) {
    const found = await findClient(db, formId);
    if (found && found.confidential) throw new OAuthError('invalid_client', 'this client must authenticate');
    client = found;
  }
  if (!client) throw new OAuthError('invalid_client', 'client authentication failed');
  return client;
}
