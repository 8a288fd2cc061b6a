// Test support for production starts with one-time codes over SMS: a stand-in SMS gateway (a real
// HTTP server on 127.0.0.1 that records each request and answers 200, 500, or never), a production
// server started from environment variables by startServer, and a browser's sign-in over HTTP with
// the code read from the gateway's record.
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/start.ts';
import type { Engine } from './engines.ts';
import { pkce } from './auth-api.ts';

export const SMS_TOKEN = 'gateway-token-for-tests';
export const SMS_SENDER = 'HoSo';

export interface SmsRequest {
  headers: IncomingHttpHeaders;
  body: { to: string; from: string; text: string };
}

export interface Gateway {
  url: string;
  requests: SmsRequest[];
  /** How the next requests are answered. */
  mode: 'ok' | 'fail' | 'hang';
  close(): Promise<void>;
}

export async function startGateway(): Promise<Gateway> {
  const hanging = new Set<() => void>();
  const gateway = { requests: [] as SmsRequest[], mode: 'ok' } as Gateway;
  const server: Server = createHttpServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      gateway.requests.push({ headers: req.headers, body: JSON.parse(text) as SmsRequest['body'] });
      if (gateway.mode === 'hang') hanging.add(() => res.destroy());
      else if (gateway.mode === 'fail') res.writeHead(500).end('{"error":"out of credit"}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"queued"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gateway.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  gateway.close = async () => {
    for (const end of hanging) end();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return gateway;
}

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface Served {
  /** The origin, e.g. http://localhost:PORT. */
  origin: string;
  close(): Promise<void>;
}

/** startServer as `HOSO_ENV=production npm start` with the SMS gateway configured, on `location`. */
export async function startProduction(
  engine: Engine,
  location: string,
  gateway: Gateway | undefined,
  timeoutMs = 1000,
): Promise<Served> {
  const port = await freePort();
  const config = loadConfig(
    {
      HOSO_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      ...(engine === 'pglite' ? { HOSO_DATA_DIR: location } : { HOSO_DATABASE_URL: location }),
      ...(gateway
        ? {
            HOSO_SMS_URL: gateway.url,
            HOSO_SMS_TOKEN: SMS_TOKEN,
            HOSO_SMS_SENDER: SMS_SENDER,
            HOSO_SMS_TIMEOUT_MS: String(timeoutMs),
          }
        : {}),
    },
    process.cwd(),
  );
  const close = await startServer(config);
  return { origin: `http://localhost:${port}`, close };
}

export interface HttpReply {
  status: number;
  text: string;
  location: string | null;
}

async function send(url: string, form?: Record<string, string>): Promise<HttpReply> {
  const res = await fetch(url, {
    redirect: 'manual',
    ...(form
      ? {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form).toString(),
        }
      : {}),
  });
  return { status: res.status, text: await res.text(), location: res.headers.get('location') };
}

export const REDIRECT = 'https://console.example/callback';

/** The sign-in up to the password step: its reply (the code page, or an error page). */
export async function passwordStep(
  served: Served,
  s: { clientId: string; login: string; password: string; scope: string },
): Promise<{ reply: HttpReply; params: Record<string, string>; verifier: string }> {
  const { verifier, challenge } = pkce();
  const params = {
    response_type: 'code',
    client_id: s.clientId,
    redirect_uri: REDIRECT,
    scope: s.scope,
    state: 'st',
    aud: `${served.origin}/fhir`,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  };
  const page = await send(`${served.origin}/oauth2/authorize?${new URLSearchParams(params)}`);
  assert.equal(page.status, 200, page.text);
  const reply = await send(`${served.origin}/oauth2/authorize`, {
    ...params,
    step: 'password',
    login: s.login,
    password: s.password,
  });
  return { reply, params, verifier };
}

/** The hidden `handle` of the one-time code page ('' when the page has none). */
export const handleOf = (html: string) => /name="handle" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** The one-time code in the text of the gateway's last SMS. */
export function lastCode(gateway: Gateway): string {
  const text = gateway.requests.at(-1)?.body.text ?? '';
  const code = /: (\d{6}) /.exec(text)?.[1];
  assert.ok(code, `a code in "${text}"`);
  return code;
}

/** A whole browser sign-in with the code from the gateway, then the token exchange: the access token. */
export async function signInOverSms(
  served: Served,
  gateway: Gateway,
  s: { clientId: string; login: string; password: string; scope: string },
): Promise<string> {
  const { reply, verifier } = await passwordStep(served, s);
  assert.equal(reply.status, 200, reply.text);
  const back = await send(`${served.origin}/oauth2/authorize`, {
    step: 'code',
    handle: handleOf(reply.text),
    code: lastCode(gateway),
  });
  assert.equal(back.status, 302, back.text);
  const code = new URL(back.location!).searchParams.get('code');
  assert.ok(code, back.location!);
  const token = await fetch(`${served.origin}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT,
      client_id: s.clientId,
    }).toString(),
  });
  const body = (await token.json()) as { access_token?: string };
  assert.equal(token.status, 200, JSON.stringify(body));
  return body.access_token!;
}
