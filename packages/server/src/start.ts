// Starts the server from configuration: opens and migrates the database, loads the demo
// population on an empty development database, listens, prints the URLs, and closes cleanly on
// SIGINT/SIGTERM.
import type { AddressInfo } from 'node:net';
import type { Config } from './config.ts';
import { buildApp } from './app.ts';
import { openDatabase } from './database.ts';
import { type SeedBundle, isEmpty, loadSeed } from './seed.ts';
import { type DemoAccess, demoPersona, describeDemoAccess, ensureDemoAccess } from './auth/demo.ts';
import { issuerOf } from './auth/discovery.ts';
import { type OtpChannel, logOtpChannel } from './auth/otp.ts';
import { httpSmsChannel } from './auth/sms-channel.ts';

export interface StartOptions {
  /** The development demo population, loaded into an empty database when config.demo is on. */
  demo?: () => Promise<Iterable<SeedBundle>>;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<() => Promise<void>> {
  const opened = await openDatabase(config.databaseUrl, config.dataDir);
  if (opened.uncleanShutdown) {
    console.warn(
      `warning: the previous server using ${config.dataDir} did not shut down cleanly; PGlite replayed its write-ahead log (see README "Crash safety")`,
    );
  }
  // One-time sign-in codes go to the SMS gateway when one is configured, else to this log in
  // development; production without a gateway refuses sign-in by code (the plugin's default).
  const otp: OtpChannel | undefined = config.sms
    ? httpSmsChannel(config.sms)
    : config.env === 'development'
      ? logOtpChannel((line) => console.log(line))
      : undefined;
  let port = config.port;
  const baseUrl = () => config.baseUrl ?? `http://localhost:${port}/fhir`;
  const app = await buildApp({
    db: opened.db,
    baseUrl,
    bodyLimit: config.bodyLimit,
    corsOrigins: config.corsOrigins,
    logger: true,
    mpi: { sharedData: config.sharedData },
    ...(otp ? { auth: { otp } } : {}),
  });
  if (config.demo && options.demo && (await isEmpty(opened.db))) {
    const started = Date.now();
    const loaded = await loadSeed(app, await options.demo(), (n) => {
      if (process.stderr.isTTY) process.stderr.write(`\rloading the demo population: ${n} resources`);
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    console.log(
      `loaded the demo population: ${loaded} resources in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  let demoAccess: DemoAccess | undefined;
  if (config.demo && options.demo) {
    const demo = options.demo;
    demoAccess = await ensureDemoAccess(opened.db, config.dataDir, async () => demoPersona(await demo()));
  }
  await app.listen({ port: config.port, host: config.host });
  port = (app.server.address() as AddressInfo).port;
  console.log(`Hồ Sơ is running (${config.env}) on ${opened.description}`);
  console.log(`  server:    http://localhost:${port}/`);
  console.log(`  FHIR base: ${baseUrl()}`);
  console.log(`  metadata:  ${baseUrl()}/metadata`);
  if (demoAccess) for (const line of describeDemoAccess(demoAccess, issuerOf(baseUrl()))) console.log(line);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await app.close();
      await opened.close();
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void close().then(() => process.exit(0));
    });
  }
  return close;
}
