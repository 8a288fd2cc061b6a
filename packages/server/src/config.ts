// Server configuration, read once from environment variables (documented in README.md).
// Pure: takes the environment as an argument so tests can pass their own.
import { resolve } from 'node:path';
import type { SmsGateway } from './auth/sms-channel.ts';

export interface Config {
  env: 'development' | 'production';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  /** Public FHIR base URL (behind a proxy); default http://localhost:PORT/fhir. */
  baseUrl: string | undefined;
  dataDir: string;
  sharedData: string;
  bodyLimit: number;
  demo: boolean;
  /** Browser origins allowed to call the API (CORS): every origin, or a list (empty: none). */
  corsOrigins: '*' | string[];
  /** The SMS gateway that delivers one-time sign-in codes, when configured. */
  sms: Omit<SmsGateway, 'fetch'> | undefined;
}

export class ConfigError extends Error {}

function integer(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min) {
    throw new ConfigError(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  }
  return n;
}

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;

/** HOSO_CORS_ORIGINS: `*` or comma-separated origins; default every origin in development, none in production. */
function corsOrigins(raw: string | undefined, env: string): '*' | string[] {
  if (raw === undefined) return env === 'development' ? '*' : [];
  if (raw.trim() === '*') return '*';
  const origins = raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  const bad = origins.find((o) => !ORIGIN.test(o));
  if (bad)
    throw new ConfigError(`HOSO_CORS_ORIGINS must list origins like https://app.example, got "${bad}"`);
  return origins;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * HOSO_SMS_URL (https, or http on this machine), HOSO_SMS_TOKEN, HOSO_SMS_SENDER (default "HoSo")
 * and HOSO_SMS_TIMEOUT_MS (default 10000): all or nothing of URL and token.
 */
function smsGateway(environment: NodeJS.ProcessEnv): Config['sms'] {
  const url = environment.HOSO_SMS_URL || undefined;
  const token = environment.HOSO_SMS_TOKEN || undefined;
  if (!url && !token) return undefined;
  if (!url || !token)
    throw new ConfigError('HOSO_SMS_URL and HOSO_SMS_TOKEN go together: set both or neither');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('HOSO_SMS_URL must be a URL such as https://sms.example/send');
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOCAL_HOSTS.has(parsed.hostname))) {
    throw new ConfigError('HOSO_SMS_URL must be https (http only on 127.0.0.1 or localhost)');
  }
  return {
    url,
    token,
    sender: environment.HOSO_SMS_SENDER || 'HoSo',
    timeoutMs: integer('HOSO_SMS_TIMEOUT_MS', environment.HOSO_SMS_TIMEOUT_MS, 10_000, 1),
  };
}

export function loadConfig(environment: NodeJS.ProcessEnv, cwd: string): Config {
  const env = environment.HOSO_ENV ?? 'development';
  if (env !== 'development' && env !== 'production') {
    throw new ConfigError(`HOSO_ENV must be "development" or "production", got "${env}"`);
  }
  return {
    env,
    port: integer('PORT', environment.PORT, 8080, 0),
    host: environment.HOST ?? '0.0.0.0',
    databaseUrl: environment.HOSO_DATABASE_URL || undefined,
    baseUrl: environment.HOSO_BASE_URL?.replace(/\/+$/, '') || undefined,
    dataDir: resolve(cwd, environment.HOSO_DATA_DIR ?? 'data'),
    sharedData: resolve(cwd, environment.HOSO_SHARED_DATA ?? '../shared/data'),
    bodyLimit: integer('HOSO_BODY_LIMIT', environment.HOSO_BODY_LIMIT, 16 * 1024 * 1024, 1),
    demo: env === 'development' && environment.HOSO_DEMO !== '0',
    corsOrigins: corsOrigins(environment.HOSO_CORS_ORIGINS, env),
    sms: smsGateway(environment),
  };
}
