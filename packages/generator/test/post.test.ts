import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runGeneration, type Bundle } from '@hoso/generator';

async function withServer(
  handle: (bundle: Bundle, res: ServerResponse) => void,
  body: (url: string) => Promise<void>,
): Promise<void> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Bundle, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`);
  } finally {
    server.close();
  }
}

const OPTIONS = { patients: 20, seed: 'post', asOf: '2026-06-30', provinces: ['25', '01'] };

describe('--post', () => {
  it('POSTs every resource in transaction bundles with bounded concurrency', async () => {
    let received = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    await withServer(
      (bundle, res) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        received += bundle.entry.length;
        setTimeout(() => {
          inFlight--;
          res
            .writeHead(200, { 'content-type': 'application/fhir+json' })
            .end('{"resourceType":"Bundle","type":"transaction-response"}');
        }, 2);
      },
      async (url) => {
        const result = await runGeneration(OPTIONS, { kind: 'post', url, concurrency: 3 });
        assert.equal(received, result.resources);
      },
    );
    assert.ok(maxInFlight <= 3 && maxInFlight >= 2, String(maxInFlight));
  });

  it('stops at the first rejected bundle with the server’s diagnostics', async () => {
    let calls = 0;
    await withServer(
      (_bundle, res) => {
        calls++;
        if (calls < 3) return void res.writeHead(200).end('{}');
        res
          .writeHead(400, { 'content-type': 'application/fhir+json' })
          .end(
            '{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","diagnostics":"bad thing"}]}',
          );
      },
      async (url) => {
        await assert.rejects(
          runGeneration(OPTIONS, { kind: 'post', url, concurrency: 1 }),
          /rejected: HTTP 400 bad thing/,
        );
      },
    );
    assert.ok(calls < 6, String(calls));
  });

  it('reports an unreachable server clearly', async () => {
    await assert.rejects(
      runGeneration(OPTIONS, { kind: 'post', url: 'http://127.0.0.1:1/fhir', concurrency: 1 }),
      /POST http:\/\/127\.0\.0\.1:1\/fhir \(bundle 1\) failed/,
    );
  });
});
