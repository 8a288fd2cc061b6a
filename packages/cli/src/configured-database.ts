// Opens the database a `hoso` command works on: the server's environment (HOSO_DATABASE_URL or the
// PGlite folder HOSO_DATA_DIR) overridden by --database-url / --data-dir, migrated. Refuses a
// PGlite folder a running server holds. Reports its own failures; holds no command logic.
import { ConfigError, FolderLockedError, loadConfig, openDatabase } from '@hoso/server';

export type OpenedDatabase = Awaited<ReturnType<typeof openDatabase>>;

/**
 * The opened database, or undefined after printing why not and setting exit code 1. `then` names
 * what to do once the server is stopped ("verify", "create the account").
 */
export async function openConfiguredDatabase(
  options: { 'database-url'?: string | undefined; 'data-dir'?: string | undefined },
  then: string,
): Promise<OpenedDatabase | undefined> {
  const env = {
    ...process.env,
    ...(options['database-url'] !== undefined ? { HOSO_DATABASE_URL: options['database-url'] } : {}),
    ...(options['data-dir'] !== undefined ? { HOSO_DATA_DIR: options['data-dir'] } : {}),
  };
  try {
    const config = loadConfig(env, process.cwd());
    return await openDatabase(config.databaseUrl, config.dataDir);
  } catch (err) {
    if (!(err instanceof ConfigError || err instanceof FolderLockedError)) throw err;
    console.error(`hoso: ${err.message}`);
    if (err instanceof FolderLockedError)
      console.error(`hoso: stop the server, then ${then} (or use PostgreSQL)`);
    process.exitCode = 1;
    return undefined;
  }
}
