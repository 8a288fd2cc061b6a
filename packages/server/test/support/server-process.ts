// Runs the real server (`node bin/hoso.mjs serve`) as a child process on a test database, for
// tests that need a real socket or must kill the process. Every started child is remembered so a
// test's `after` hook can kill whatever is still running, even when the test failed half-way.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Engine } from './engines.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const STARTUP_TIMEOUT_MS = 45_000;

export interface ServerProcess {
  child: ChildProcess;
  /** FHIR base URL as printed by the server (http://localhost:PORT/fhir). */
  base: string;
  /** Milliseconds from spawn to the printed FHIR base line. */
  startupMs: number;
  /** Everything the process wrote so far. */
  output(): string;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (a clean shutdown); resolves with the exit code. */
  stop(): Promise<number | null>;
}

const running = new Set<ChildProcess>();

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** The child's environment: production (no demo data), an ephemeral port on 127.0.0.1 only. */
function serverEnv(engine: Engine, location: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', HOSO_ENV: 'production' };
  delete env.NODE_TEST_CONTEXT;
  delete env.HOSO_BASE_URL;
  delete env.HOSO_DATABASE_URL;
  delete env.HOSO_DATA_DIR;
  if (engine === 'pglite') env.HOSO_DATA_DIR = location;
  else env.HOSO_DATABASE_URL = location;
  return env;
}

/**
 * Starts the server and waits for its "FHIR base:" line. Rejects (with the process's output) when it
 * exits first or does not come up in time; use `runServerToExit` for a start that should fail.
 */
export async function startServerProcess(engine: Engine, location: string): Promise<ServerProcess> {
  const started = Date.now();
  const child = spawn(process.execPath, ['bin/hoso.mjs', 'serve'], {
    cwd: root,
    env: serverEnv(engine, location),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  void exited(child).then(() => running.delete(child));
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${STARTUP_TIMEOUT_MS} ms:\n${out}`));
    }, STARTUP_TIMEOUT_MS);
    const onData = () => {
      const match = /FHIR base: (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        resolve(match[1]!);
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      reject(new Error(`server exited (code ${code}, signal ${signal}) before listening:\n${out}`));
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
  return {
    child,
    base: base.replace('//localhost:', '//127.0.0.1:'),
    startupMs: Date.now() - started,
    output: () => out,
    kill: async () => {
      child.kill('SIGKILL');
      await exited(child);
    },
    stop: async () => {
      child.kill('SIGTERM');
      return exited(child);
    },
  };
}

/** Runs the server expecting it to refuse to start; returns its exit code and output. */
export async function runServerToExit(
  engine: Engine,
  location: string,
  timeoutMs = STARTUP_TIMEOUT_MS,
): Promise<{ code: number | null; output: string; pid: number | undefined }> {
  const child = spawn(process.execPath, ['bin/hoso.mjs', 'serve'], {
    cwd: root,
    env: serverEnv(engine, location),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  // 'close' rather than 'exit': it comes after the output streams are drained.
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  clearTimeout(timer);
  running.delete(child);
  return { code, output: out, pid: child.pid };
}

/** Kills every server process this file started that is still running. */
export async function killServerProcesses(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      child.kill('SIGKILL');
      await exited(child);
    }),
  );
  running.clear();
}

/** A client-credentials token from the running server, the way a facility script gets one. */
export async function clientCredentialsToken(
  base: string,
  client: { id: string; secret: string },
  scope = 'system/*.cruds',
): Promise<string> {
  const res = await fetch(new URL('/oauth2/token', base.replace('//localhost:', '//127.0.0.1:')), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope,
      client_id: client.id,
      client_secret: client.secret,
    }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (res.status !== 200 || !body.access_token)
    throw new Error(`no token (${res.status}): ${JSON.stringify(body)}`);
  return body.access_token;
}
