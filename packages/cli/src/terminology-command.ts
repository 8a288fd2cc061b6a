// `hoso terminology import FILE…`: loads terminology files (ICD-10 VN, catalogues, FHIR
// CodeSystem/ValueSet/ConceptMap) into the database the server's environment names. Parses
// options, opens the database (refusing a PGlite folder a running server holds) and reports
// progress; the loading itself lives in @hoso/server/terminology (the next file is read while the
// one before is stored).
import { parseArgs } from 'node:util';
import { ConfigError, FolderLockedError, loadConfig, openDatabase } from '@hoso/server';
import { importFiles } from '@hoso/server/terminology/import-files';
import type { Command } from './commands.ts';

const USAGE = `usage: hoso terminology import FILE... [--system URL] [--version V] [--title T] [--language vi]

  FILE            icd10_qd4469.csv (ICD-10 VN; reads icd10_qd4469_appendices.csv beside it),
                  a FHIR CodeSystem / ValueSet / ConceptMap / Bundle (.json), or a catalogue:
                  CSV with columns code, display, display_en, parent, weight, or JSON
                  { url, version, title, language, concepts: [...] }
  --system URL    the code system URL of a CSV catalogue
  --version V     its version (a new version is stored beside older ones; the same one is replaced)
Database: HOSO_DATABASE_URL (PostgreSQL) or the PGlite folder HOSO_DATA_DIR (stop the server first).`;

/** A progress line per file being read: concepts so far and their rate since the file's first report. */
function progressBar(): (file: string, n: number) => void {
  const started = new Map<string, number>();
  return (file, n) => {
    if (!process.stderr.isTTY) return;
    if (!started.has(file)) started.set(file, performance.now());
    const rate = Math.round(n / Math.max((performance.now() - started.get(file)!) / 1000, 1e-3));
    process.stderr.write(`\r${file}: ${n.toLocaleString('en')} concepts (${rate.toLocaleString('en')}/s)   `);
  };
}

export const terminologyCommand: Command = {
  summary: 'import terminology files (ICD-10 VN, catalogues, FHIR CodeSystems) into the database',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        system: { type: 'string' },
        version: { type: 'string' },
        title: { type: 'string' },
        language: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const [action, ...files] = positionals;
    if (values.help || action !== 'import' || files.length === 0) {
      console.log(USAGE);
      process.exitCode = values.help ? 0 : 2;
      return;
    }
    let opened;
    try {
      const config = loadConfig(process.env, process.cwd());
      opened = await openDatabase(config.databaseUrl, config.dataDir);
    } catch (err) {
      if (err instanceof ConfigError || err instanceof FolderLockedError) {
        console.error(`hoso: ${err.message}`);
        if (err instanceof FolderLockedError) {
          console.error(
            'hoso: stop the server, import, then start it again (or use PostgreSQL via HOSO_DATABASE_URL)',
          );
        }
        process.exitCode = 1;
        return;
      }
      throw err;
    }
    try {
      const options = {
        ...(values.system ? { url: values.system } : {}),
        ...(values.version ? { version: values.version } : {}),
        ...(values.title ? { title: values.title } : {}),
        ...(values.language ? { language: values.language } : {}),
        progress: progressBar(),
      };
      // The next file is read while the one before is stored: a file's time runs from when the
      // one before it was stored.
      let since = performance.now();
      await importFiles(
        opened.db,
        files.map((file) => ({ file, options })),
        (results) => {
          if (process.stderr.isTTY) process.stderr.write('\n');
          const seconds = (performance.now() - since) / 1000;
          since = performance.now();
          for (const r of results) {
            const rate = r.count > 1 ? ` (${Math.round(r.count / seconds).toLocaleString('en')}/s)` : '';
            console.log(
              `${r.file}: ${r.what}: ${r.count.toLocaleString('en')} in ${seconds.toFixed(1)} s${rate}`,
            );
          }
        },
      );
    } catch (err) {
      console.error(`hoso: ${(err as Error).message}`);
      process.exitCode = 1;
    } finally {
      await opened.close();
    }
  },
};
