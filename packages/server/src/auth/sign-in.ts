// A sign-in between the password and the one-time code. The browser holds a random handle; the
// database holds its hash, the pending authorization request, and the code as an HMAC keyed with
// the handle (so the table alone cannot reveal codes). Codes live 5 minutes, are single use, and
// allow 3 attempts; each wrong code also counts against the account's lockout.
import type { Database } from '../db/database.ts';
import { recordFailure } from './accounts.ts';
import { hmac, newOneTimeCode, newSecret, safeEqual, sha256 } from './secrets.ts';

const CODE_SECONDS = 5 * 60;
export const MAX_CODE_ATTEMPTS = 3;

export interface PendingSignIn {
  handle: string;
  code: string;
}

export async function startSignIn(db: Database, accountId: string, request: string): Promise<PendingSignIn> {
  const handle = newSecret();
  const code = newOneTimeCode();
  await db.query(
    'INSERT INTO auth_login (id, account_id, request, otp_hash, expires_at) VALUES ($1, $2, $3, $4, $5)',
    [sha256(handle), accountId, request, hmac(handle, code), new Date(Date.now() + CODE_SECONDS * 1000)],
  );
  return { handle, code };
}

export type CodeCheck =
  { ok: true; accountId: string; request: string } | { ok: false; retry: boolean; request?: string };

/** Checks a one-time code against a pending sign-in; a success or the last failure ends it. */
export async function finishSignIn(db: Database, handle: string, code: string): Promise<CodeCheck> {
  const [row] = await db.query<{ account_id: string; request: string; otp_hash: string; attempts: number }>(
    `UPDATE auth_login SET attempts = attempts + 1
     WHERE id = $1 AND NOT done AND expires_at > now() AND attempts < $2
     RETURNING account_id, request, otp_hash, attempts`,
    [sha256(handle), MAX_CODE_ATTEMPTS],
  );
  if (!row) return { ok: false, retry: false };
  if (safeEqual(row.otp_hash, hmac(handle, code.trim()))) {
    const [done] = await db.query(
      'UPDATE auth_login SET done = true WHERE id = $1 AND NOT done RETURNING id',
      [sha256(handle)],
    );
    return done ? { ok: true, accountId: row.account_id, request: row.request } : { ok: false, retry: false };
  }
  await recordFailure(db, row.account_id);
  return { ok: false, retry: row.attempts < MAX_CODE_ATTEMPTS, request: row.request };
}

/** Ends a pending sign-in whose code could not be delivered, so that code can never be used. */
export async function cancelSignIn(db: Database, handle: string): Promise<void> {
  await db.query('UPDATE auth_login SET done = true WHERE id = $1', [sha256(handle)]);
}
