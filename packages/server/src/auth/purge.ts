// Deletes what the authorization server no longer needs: finished or abandoned sign-ins and
// authorization codes after a day (kept that long so a replayed code still revokes its grant),
// expired refresh tokens, and grants that can have no live token left (no refresh token, older
// than any access token). Expired client-assertion ids go as new ones arrive (clients.ts).
import type { Queryable } from '../db/database.ts';

export const PURGE_INTERVAL_MS = 15 * 60_000;

export async function purgeExpired(db: Queryable): Promise<void> {
  await db.query("DELETE FROM auth_login WHERE expires_at < now() - interval '1 day'");
  await db.query("DELETE FROM auth_code WHERE expires_at < now() - interval '1 day'");
  await db.query('DELETE FROM auth_refresh WHERE expires_at < now()');
  await db.query(
    `DELETE FROM auth_grant g WHERE g.created_at < now() - interval '1 day'
     AND NOT EXISTS (SELECT 1 FROM auth_refresh r WHERE r.grant_id = g.id)
     AND NOT EXISTS (SELECT 1 FROM auth_code c WHERE c.grant_id = g.id)`,
  );
}
