// `hoso serve`: starts the FHIR server configured by environment variables (see README), with the
// synthetic demo population for an empty development database.
import { demoBundles } from '@hoso/generator';
import { ConfigError, FolderLockedError, loadConfig, startServer } from '@hoso/server';
import type { Command } from './commands.ts';

export const serveCommand: Command = {
  summary: 'start the FHIR server (configured by HOSO_* environment variables)',
  async run() {
    try {
      await startServer(loadConfig(process.env, process.cwd()), { demo: () => demoBundles() });
    } catch (err) {
      if (err instanceof ConfigError || err instanceof FolderLockedError) {
        console.error(`hoso: ${(err as Error).message}`);
        process.exitCode = 1;
        return;
      }
      throw err;
    }
  },
};
