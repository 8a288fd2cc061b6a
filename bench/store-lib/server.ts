// Runs the Hồ Sơ server in a child process (`node bin/hoso.mjs serve`, production mode, PORT=0) so
// its memory and CPU are measured apart from the load generator; reads RSS and CPU from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLOCK_TICKS = 100; // USER_HZ on Linux

export interface ServerOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** write a V8 CPU profile into this folder when the server exits */
  cpuProfDir?: string;
  logFile: string;
}

export interface RunningServer {
  base: string;
  pid: number;
  /** resident set size in bytes (0 once the process is gone) */
  rss(): number;
  /** CPU seconds (user + system) used so far */
  cpu(): number;
  /** highest RSS seen by the sampler since the last reset */
  peakRss(): number;
  resetPeak(): void;
  stop(): Promise<void>;
}

export function processRss(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function processCpu(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Busy and total CPU seconds of the whole machine (all cores), from /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: (total - idle) / CLOCK_TICKS, total: total / CLOCK_TICKS };
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    HOSO_ENV: 'production',
    HOSO_DEMO: '0',
  };
  delete env.HOSO_DATABASE_URL;
  if (options.databaseUrl) env.HOSO_DATABASE_URL = options.databaseUrl;
  if (options.dataDir) env.HOSO_DATA_DIR = options.dataDir;
  const nodeArgs = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, 'bin/hoso.mjs', 'serve'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(options.logFile);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = await new Promise<string>((resolve, reject) => {
    let seen = '';
    let found = false;
    const timer = setTimeout(() => reject(new Error('the server did not start within 120 s')), 120_000);
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      if (found) return;
      seen += chunk.toString('utf8');
      const m = /FHIR base: (http:\/\/\S+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        found = true;
        seen = '';
        resolve(m[1]!.replace('localhost', '127.0.0.1'));
      }
      if (seen.length > 100_000) seen = seen.slice(-10_000);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => log.write(chunk));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with code ${code} before listening (log: ${options.logFile})`));
    });
  });
  const pid = child.pid!;
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, processRss(pid));
  }, 250);
  sampler.unref();
  return {
    base,
    pid,
    rss: () => processRss(pid),
    cpu: () => processCpu(pid),
    peakRss: () => Math.max(peak, processRss(pid)),
    resetPeak: () => {
      peak = processRss(pid);
    },
    async stop() {
      clearInterval(sampler);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000).unref());
        if ((await Promise.race([exited, timeout])) === 'timeout') {
          child.kill('SIGKILL');
          await exited;
        }
      }
      await new Promise<void>((r) => log.end(() => r()));
    },
  };
}
