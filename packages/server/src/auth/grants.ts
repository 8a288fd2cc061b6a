// Token families and the single-use secrets that extend them. A grant is every token issued from
// one authorization; authorization codes and refresh tokens are stored as hashes and consumed
// atomically, and any replay (a used code, a rotated refresh token) revokes the whole grant.
import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';
import { OAuthError } from './oauth-error.ts';
import { newSecret, sha256 } from './secrets.ts';

const CODE_SECONDS = 120;
const REFRESH_DAYS = 30;

export async function createGrant(
  db: Queryable,
  clientId: string,
  accountId: string | undefined,
): Promise<string> {
  const id = randomUUID();
  await db.query('INSERT INTO auth_grant (id, client_id, account_id) VALUES ($1, $2, $3)', [
    id,
    clientId,
    accountId ?? null,
  ]);
  return id;
}

export async function revokeGrant(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE auth_grant SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
}

/** Whether the grant is revoked or unknown (one primary-key lookup). */
const REVOKED = prepared(
  'grant_revoked',
  'SELECT revoked_at IS NOT NULL AS revoked FROM auth_grant WHERE id = $1',
);

export async function isGrantRevoked(db: Queryable, id: string): Promise<boolean> {
  const [row] = await db.query<{ revoked: boolean }>(REVOKED, [id]);
  return !row || row.revoked;
}

export interface CodeRequest {
  clientId: string;
  redirectUri: string;
  accountId: string;
  scope: string;
  codeChallenge: string;
  nonce?: string;
}

export async function issueCode(db: Queryable, r: CodeRequest): Promise<string> {
  const code = newSecret();
  await db.query(
    `INSERT INTO auth_code (hash, client_id, redirect_uri, account_id, scope, code_challenge, nonce, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      sha256(code),
      r.clientId,
      r.redirectUri,
      r.accountId,
      r.scope,
      r.codeChallenge,
      r.nonce ?? null,
      new Date(Date.now() + CODE_SECONDS * 1000),
    ],
  );
  return code;
}

interface CodeRow {
  client_id: string;
  redirect_uri: string;
  account_id: string;
  scope: string;
  code_challenge: string;
  nonce: string | null;
  expires_at: Date | string;
  grant_id: string | null;
}

export interface RedeemedCode extends CodeRequest {
  grantId: string;
}

/**
 * Consumes a code once, for `clientId`, and opens its grant. A code used before revokes the grant
 * it produced; every failure is invalid_grant. The PKCE and redirect checks are the caller's, after
 * consumption, so a wrong verifier also burns the code.
 */
export async function redeemCode(db: Database, code: string, clientId: string): Promise<RedeemedCode> {
  const hash = sha256(code);
  const redeemed = await db.transaction(async (tx) => {
    const [row] = await tx.query<CodeRow>(
      `UPDATE auth_code SET used_at = now() WHERE hash = $1 AND used_at IS NULL
       RETURNING client_id, redirect_uri, account_id, scope, code_challenge, nonce, expires_at, grant_id`,
      [hash],
    );
    if (!row) return undefined;
    if (row.client_id !== clientId || new Date(row.expires_at).getTime() < Date.now()) return null;
    const grantId = await createGrant(tx, clientId, row.account_id);
    await tx.query('UPDATE auth_code SET grant_id = $2 WHERE hash = $1', [hash, grantId]);
    return { row, grantId };
  });
  if (redeemed === undefined) {
    const [used] = await db.query<{ grant_id: string | null }>(
      'SELECT grant_id FROM auth_code WHERE hash = $1',
      [hash],
    );
    if (used?.grant_id) await revokeGrant(db, used.grant_id);
    throw new OAuthError('invalid_grant', 'the authorization code is invalid, expired or already used');
  }
  if (redeemed === null)
    throw new OAuthError('invalid_grant', 'the authorization code is invalid, expired or already used');
  const { row, grantId } = redeemed;
  return {
    clientId: row.client_id,
    redirectUri: row.redirect_uri,
    accountId: row.account_id,
    scope: row.scope,
    codeChallenge: row.code_challenge,
    grantId,
    ...(row.nonce ? { nonce: row.nonce } : {}),
  };
}

export async function issueRefreshToken(db: Queryable, grantId: string, scope: string): Promise<string> {
  const token = newSecret();
  await db.query('INSERT INTO auth_refresh (hash, grant_id, scope, expires_at) VALUES ($1, $2, $3, $4)', [
    sha256(token),
    grantId,
    scope,
    new Date(Date.now() + REFRESH_DAYS * 86_400_000),
  ]);
  return token;
}

export interface RefreshedGrant {
  grantId: string;
  clientId: string;
  accountId: string | null;
  scope: string;
}

interface RefreshRow {
  grant_id: string;
  scope: string;
  expires_at: Date | string;
  client_id: string;
  account_id: string | null;
  revoked: boolean;
}

/** Looks a refresh token up without consuming it (introspection, revocation, naming its client). */
export async function findRefreshToken(
  db: Queryable,
  token: string,
): Promise<(RefreshedGrant & { active: boolean }) | undefined> {
  const [row] = await db.query<RefreshRow & { used: boolean }>(
    `SELECT r.grant_id, r.scope, r.expires_at, r.used_at IS NOT NULL AS used, g.client_id, g.account_id, g.revoked_at IS NOT NULL AS revoked
     FROM auth_refresh r JOIN auth_grant g ON g.id = r.grant_id WHERE r.hash = $1`,
    [sha256(token)],
  );
  if (!row) return undefined;
  const active = !row.used && !row.revoked && new Date(row.expires_at).getTime() > Date.now();
  return {
    grantId: row.grant_id,
    clientId: row.client_id,
    accountId: row.account_id,
    scope: row.scope,
    active,
  };
}

/**
 * Consumes a refresh token (rotation). Reusing a consumed one revokes its grant: a stolen token and
 * the legitimate client cannot both keep going.
 */
export async function consumeRefreshToken(
  db: Database,
  token: string,
  clientId: string,
): Promise<RefreshedGrant> {
  const hash = sha256(token);
  const invalid = () =>
    new OAuthError('invalid_grant', 'the refresh token is invalid, expired, revoked or already used');
  const [row] = await db.query<RefreshRow>(
    `UPDATE auth_refresh r SET used_at = now() FROM auth_grant g
     WHERE r.hash = $1 AND r.used_at IS NULL AND g.id = r.grant_id
     RETURNING r.grant_id, r.scope, r.expires_at, g.client_id, g.account_id, g.revoked_at IS NOT NULL AS revoked`,
    [hash],
  );
  if (!row) {
    const [used] = await db.query<{ grant_id: string }>('SELECT grant_id FROM auth_refresh WHERE hash = $1', [
      hash,
    ]);
    if (used) await revokeGrant(db, used.grant_id);
    throw invalid();
  }
  if (row.client_id !== clientId || row.revoked || new Date(row.expires_at).getTime() < Date.now())
    throw invalid();
  return { grantId: row.grant_id, clientId: row.client_id, accountId: row.account_id, scope: row.scope };
}
