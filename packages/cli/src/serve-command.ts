// `hoso serve`: starts the FHIR server configured by environment variables (see README), with the
// synthetic demo population for an empty development database (the generator is loaded only then).
import { ConfigError, FolderLockedError, StoreDamagedError, loadConfig, startServer } from '@hoso/server';
import type { Command } from './commands.ts';

export const serveCommand: Command = {
  summary: 'start the FHIR server (configured by HOSO_* environment variables)',
  async run() {
    try {
      await startServer(loadConfig(process.env, process.cwd()), {
        demo: async () => (await import('@hoso/generator')).demoBundles(),
      });
    } catch (err) {
      if (
        err instanceof ConfigError ||
        err instanceof FolderLockedError ||
        err instanceof StoreDamagedError
      ) {
        console.error(`hoso: ${err.message}`);
        process.exitCode = 1;
        return;
      }
      throw err;
    }
  },
};
