// Creates an administrator account — the way into a new production database, used by
// `hoso admin create-admin`. Generates a strong password when none is given (the caller shows it
// once) and stores the phone for one-time codes as an E.164 mobile number. Never prints or logs.
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { badRequest } from '../errors.ts';
import { type Account, createAccount } from './accounts.ts';
import { smsNumber } from './sms-message.ts';

export interface NewAdmin {
  login: string;
  /** Left out: a random one (144 bits, 24 base64url characters) is made. */
  password?: string;
  /** A Vietnamese mobile number, where the one-time codes go. */
  phone?: string;
}

export interface CreatedAdmin {
  account: Account;
  password: string;
  generated: boolean;
}

export async function createAdmin(db: Queryable, a: NewAdmin): Promise<CreatedAdmin> {
  const phone = a.phone === undefined ? undefined : smsNumber(a.phone);
  if (a.phone !== undefined && !phone)
    throw badRequest(`"${a.phone}" is not a Vietnamese mobile number (0912345678 or +84912345678)`);
  const password = a.password ?? randomBytes(18).toString('base64url');
  const account = await createAccount(db, {
    kind: 'admin',
    login: a.login,
    password,
    ...(phone ? { phone } : {}),
  });
  return { account, password, generated: a.password === undefined };
}
