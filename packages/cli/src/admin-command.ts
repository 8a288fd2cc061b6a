// `hoso admin create-admin`: creates an administrator account in the configured database (the way
// into a new production database), migrating it first if needed. The password never comes from
// argv: it is typed (no echo), piped as one line on stdin, or generated and printed once. Only
// parses options, reads the password and reports; the account logic is @hoso/server/auth/create-admin.
import { parseArgs } from 'node:util';
import { createAdmin } from '@hoso/server/auth/create-admin';
import { FhirError } from '@hoso/server/errors';
import type { Command } from './commands.ts';
import { openConfiguredDatabase } from './configured-database.ts';
import { readPassword } from './read-password.ts';

const USAGE = `usage: hoso admin create-admin --login NAME [--phone PHONE] [--generate-password]
                                [--database-url URL] [--data-dir DIR]

  Creates an administrator account (who can then create accounts and clients through
  /admin/auth/...). The password is read from stdin (one line), or typed at a terminal without
  echo, or with --generate-password made at random and printed once. Never put it on the
  command line.

  --login NAME          the username: 3–64 lower-case letters, digits, ".", "_" or "-"
  --phone PHONE         a Vietnamese mobile number for one-time sign-in codes (0912345678)
  --generate-password   make a strong random password and print it once
  --database-url URL    PostgreSQL (default: HOSO_DATABASE_URL)
  --data-dir DIR        the PGlite folder when no URL is given (default: HOSO_DATA_DIR or ./data;
                        stop the server first)

  Exit code 0: created; 1: refused (the login exists, a bad password or phone, the database
  cannot be opened); 2: bad options.`;

function options(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        login: { type: 'string' },
        phone: { type: 'string' },
        'generate-password': { type: 'boolean' },
        'database-url': { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    console.error(`hoso: ${(err as Error).message}`);
    return undefined;
  }
}

export const adminCommand: Command = {
  summary: 'create an administrator account (the password is read from stdin, never from argv)',
  async run(args) {
    const parsed = options(args);
    const values = parsed?.values;
    if (
      !parsed ||
      !values ||
      values.help ||
      parsed.positionals.join(' ') !== 'create-admin' ||
      !values.login
    ) {
      console.log(USAGE);
      process.exitCode = values?.help ? 0 : 2;
      return;
    }
    let password: string | undefined;
    if (!values['generate-password']) {
      try {
        password = await readPassword();
      } catch (err) {
        console.error(`hoso: ${(err as Error).message}`);
        process.exitCode = 1;
        return;
      }
      if (password === '') {
        console.error('hoso: no password on stdin: pipe one line, type it, or use --generate-password');
        process.exitCode = 2;
        return;
      }
    }
    const opened = await openConfiguredDatabase(values, 'create the account');
    if (!opened) return;
    try {
      const created = await createAdmin(opened.db, {
        login: values.login,
        ...(password !== undefined ? { password } : {}),
        ...(values.phone !== undefined ? { phone: values.phone } : {}),
      });
      const { account } = created;
      console.log(
        `created administrator ${account.login} (account ${account.id}) in ${opened.description}${account.phone ? `; one-time codes go to ${account.phone}` : ''}`,
      );
      if (created.generated) console.log(`password (shown once, keep it safe): ${created.password}`);
    } catch (err) {
      if (!(err instanceof FhirError)) throw err;
      const refused =
        err.status === 409 ? `an account with the login "${values.login}" already exists` : err.message;
      console.error(`hoso: ${refused}`);
      process.exitCode = 1;
    } finally {
      await opened.close();
    }
  },
};
