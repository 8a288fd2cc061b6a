// Sign-in accounts: patients (login = citizen ID), practitioners (linked to a Practitioner, a
// facility Organization and a role), analysts and administrators (login = username). Creates them,
// checks passwords and keeps the lockout: 5 failures in a row lock an account for 15 minutes. A
// failed check never says whether the account exists, is locked or the password was wrong.
import { randomUUID } from 'node:crypto';
import { cleanCccd, isValidCccd } from '@hoso/vn/cccd';
import type { Database, Queryable } from '../db/database.ts';
import { badRequest, conflict } from '../errors.ts';
import { DECOY_HASH, hashPassword, verifyPassword } from './passwords.ts';

export type AccountKind = 'patient' | 'practitioner' | 'analyst' | 'admin';
export const ACCOUNT_KINDS: readonly AccountKind[] = ['patient', 'practitioner', 'analyst', 'admin'];

export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;
const MIN_PASSWORD_LENGTH = 10;
const USERNAME = /^[a-z][a-z0-9._-]{2,63}$/;

export interface Account {
  id: string;
  kind: AccountKind;
  login: string;
  practitionerId?: string;
  organizationId?: string;
  role?: string;
  /** Where one-time codes go (a phone number); optional. */
  phone?: string;
  active: boolean;
}

export interface NewAccount {
  kind: AccountKind;
  /** A citizen ID for a patient, a username for staff. */
  login: string;
  password: string;
  practitionerId?: string;
  organizationId?: string;
  role?: string;
  phone?: string;
}

interface AccountRow {
  id: string;
  kind: AccountKind;
  login: string;
  password_hash: string;
  practitioner_id: string | null;
  organization_id: string | null;
  role: string | null;
  phone: string | null;
  active: boolean;
  locked_until: Date | string | null;
}

const COLUMNS =
  'id, kind, login, password_hash, practitioner_id, organization_id, role, phone, active, locked_until';

const toAccount = (r: AccountRow): Account => ({
  id: r.id,
  kind: r.kind,
  login: r.login,
  active: r.active,
  ...(r.practitioner_id ? { practitionerId: r.practitioner_id } : {}),
  ...(r.organization_id ? { organizationId: r.organization_id } : {}),
  ...(r.role ? { role: r.role } : {}),
  ...(r.phone ? { phone: r.phone } : {}),
});

/** The login as stored: a cleaned citizen ID for patients, a lower-case username for staff. */
export function normaliseLogin(kind: 'patient' | 'staff', login: string): string {
  return kind === 'patient' ? cleanCccd(login.trim()) : login.trim().toLowerCase();
}

function requireStrongPassword(password: unknown): void {
  if (typeof password !== 'string' || [...password].length < MIN_PASSWORD_LENGTH) {
    throw badRequest(`a password has at least ${MIN_PASSWORD_LENGTH} characters`);
  }
}

function checkNewAccount(a: NewAccount): void {
  if (!ACCOUNT_KINDS.includes(a.kind)) throw badRequest(`kind must be one of ${ACCOUNT_KINDS.join(', ')}`);
  if (a.kind === 'patient' && !isValidCccd(a.login))
    throw badRequest('a patient login is a valid 12-digit citizen ID');
  if (a.kind !== 'patient' && !USERNAME.test(a.login)) {
    throw badRequest(
      'a username is 3–64 lower-case letters, digits, ".", "_" or "-", starting with a letter',
    );
  }
  requireStrongPassword(a.password);
  if (a.kind === 'practitioner' && !(a.practitionerId && a.organizationId && a.role)) {
    throw badRequest('a practitioner account needs practitionerId, organizationId and role');
  }
}

export async function createAccount(db: Queryable, a: NewAccount): Promise<Account> {
  const login = normaliseLogin(a.kind === 'patient' ? 'patient' : 'staff', String(a.login ?? ''));
  checkNewAccount({ ...a, login });
  const id = randomUUID();
  const rows = await db.query<AccountRow>(
    `INSERT INTO auth_account (id, kind, login, password_hash, practitioner_id, organization_id, role, phone)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (login) DO NOTHING RETURNING ${COLUMNS}`,
    [
      id,
      a.kind,
      login,
      await hashPassword(a.password),
      a.practitionerId ?? null,
      a.organizationId ?? null,
      a.role ?? null,
      a.phone ?? null,
    ],
  );
  if (!rows[0]) throw conflict('an account with this login already exists');
  return toAccount(rows[0]);
}

export async function findAccount(db: Queryable, id: string): Promise<Account | undefined> {
  const [row] = await db.query<AccountRow>(`SELECT ${COLUMNS} FROM auth_account WHERE id = $1`, [id]);
  return row ? toAccount(row) : undefined;
}

export async function findAccountByLogin(db: Queryable, login: string): Promise<Account | undefined> {
  const [row] = await db.query<AccountRow>(`SELECT ${COLUMNS} FROM auth_account WHERE login = $1`, [login]);
  return row ? toAccount(row) : undefined;
}

/** Sets a new password (and clears the lockout); false when the account does not exist. */
export async function setPassword(db: Queryable, id: string, password: string): Promise<boolean> {
  requireStrongPassword(password);
  const rows = await db.query(
    'UPDATE auth_account SET password_hash = $2, failed_count = 0, locked_until = NULL WHERE id = $1 RETURNING id',
    [id, await hashPassword(password)],
  );
  return rows.length > 0;
}

export async function setActive(db: Queryable, id: string, active: boolean): Promise<boolean> {
  const rows = await db.query(
    'UPDATE auth_account SET active = $2, failed_count = 0, locked_until = NULL WHERE id = $1 RETURNING id',
    [id, active],
  );
  return rows.length > 0;
}

/** Counts one failed sign-in step; the fifth in a row locks the account. */
export async function recordFailure(db: Queryable, id: string, now = new Date()): Promise<void> {
  await db.query(
    `UPDATE auth_account SET
       locked_until = CASE WHEN failed_count + 1 >= $2 THEN $3::timestamptz ELSE locked_until END,
       failed_count = CASE WHEN failed_count + 1 >= $2 THEN 0 ELSE failed_count + 1 END
     WHERE id = $1`,
    [id, MAX_FAILURES, new Date(now.getTime() + LOCK_MINUTES * 60_000)],
  );
}

const isLocked = (row: AccountRow, now: Date) =>
  row.locked_until !== null && new Date(row.locked_until).getTime() > now.getTime();

/**
 * The account when `password` is right and the account is active and not locked; otherwise
 * undefined, after the same work (a decoy hash for unknown logins).
 */
export async function checkPassword(
  db: Database,
  kind: 'patient' | 'staff',
  login: string,
  password: string,
  now = new Date(),
): Promise<Account | undefined> {
  const [row] = await db.query<AccountRow>(`SELECT ${COLUMNS} FROM auth_account WHERE login = $1`, [
    normaliseLogin(kind, login),
  ]);
  const matches = await verifyPassword(password, row?.password_hash ?? DECOY_HASH);
  if (!row || !row.active || (row.kind === 'patient') !== (kind === 'patient')) return undefined;
  if (isLocked(row, now)) return undefined;
  if (!matches) {
    await recordFailure(db, row.id, now);
    return undefined;
  }
  await db.query('UPDATE auth_account SET failed_count = 0 WHERE id = $1 AND failed_count > 0', [row.id]);
  return toAccount(row);
}

/** Whether the account may still complete a sign-in (active and not locked). */
export async function isUsable(db: Queryable, id: string, now = new Date()): Promise<boolean> {
  const [row] = await db.query<AccountRow>(`SELECT ${COLUMNS} FROM auth_account WHERE id = $1`, [id]);
  return !!row && row.active && !isLocked(row, now);
}
