// The benchmark's caller: a hub-level system client (client credentials, `system/*.cruds`, no
// facility) registered straight in the benchmark database before the server starts, and its bearer
// token, fetched from the running server's token endpoint and renewed well before it expires.
// It must not bypass authentication: every benchmark request carries a token the server verifies.
import { migrate } from '@hoso/server/db/migrations';
import type { Database } from '@hoso/server/db/database';
import { registerClient } from '@hoso/server/auth/clients';

export interface BenchClient {
  id: string;
  secret: string;
}

/** Migrates `db` (the server would on start) and registers the benchmark's system client in it. */
export async function registerBenchClient(db: Database): Promise<BenchClient> {
  await migrate(db);
  const { client, secret } = await registerClient(db, {
    name: 'bench:store',
    confidential: true,
    scopes: 'system/*.cruds',
    grantTypes: ['client_credentials'],
    secret: true,
  });
  return { id: client.id, secret: secret! };
}

/** Renew after this long: access tokens live 15 minutes. */
const RENEW_MS = 10 * 60 * 1000;

export interface TokenSource {
  /** The `Authorization` header value to send now. */
  header(): string;
  close(): void;
}

async function fetchToken(fhirBase: string, client: BenchClient): Promise<string> {
  const res = await fetch(new URL('/oauth2/token', fhirBase), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope: 'system/*.cruds',
      client_id: client.id,
      client_secret: client.secret,
    }),
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`no token from ${fhirBase} (${res.status}): ${body}`);
  return (JSON.parse(body) as { access_token: string }).access_token;
}

/** A token from the server at `fhirBase`, renewed in the background every ten minutes. */
export async function tokenSource(fhirBase: string, client: BenchClient): Promise<TokenSource> {
  let header = `Bearer ${await fetchToken(fhirBase, client)}`;
  const timer = setInterval(() => {
    fetchToken(fhirBase, client).then(
      (token) => (header = `Bearer ${token}`),
      (err: Error) => process.stderr.write(`token renewal failed: ${err.message}\n`),
    );
  }, RENEW_MS);
  timer.unref();
  return { header: () => header, close: () => clearInterval(timer) };
}
