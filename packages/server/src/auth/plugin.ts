// The authorization server as one Fastify plugin: SMART and OpenID discovery, /oauth2/* (sign-in,
// tokens, introspection, revocation, userinfo, JWKS) behind a per-IP rate limit and with RFC 6749
// JSON errors, the /admin/auth API, and a timer that purges expired rows. createAuthServer loads
// (or creates) the signing key and gives the `authenticate` function that the FHIR and admin
// routes call. It never makes /fhir require a token by itself.
import type { FastifyError, FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import { adminAuthRoutes } from './admin-routes.ts';
import { type Authenticate, type Identify, createAuthenticate, createIdentify } from './authenticate.ts';
import { authorizeRoutes } from './authorize-routes.ts';
import { endpointsOf, issuerOf, openidConfiguration, smartConfiguration } from './discovery.ts';
import { parseForm } from './form.ts';
import type { IssueContext } from './issue.ts';
import { type SigningKey, loadSigningKey } from './keys.ts';
import { OAuthError } from './oauth-error.ts';
import { type OtpChannel, noOtpChannel } from './otp.ts';
import { PURGE_INTERVAL_MS, purgeExpired } from './purge.ts';
import { createRateLimiter } from './rate-limit.ts';
import { tokenManagementRoutes } from './token-management-routes.ts';
import { tokenRoutes } from './token-routes.ts';
import type { Audience } from './tokens.ts';

export interface AuthSettings {
  /** Where one-time sign-in codes go; without one, sign-in by code is refused. */
  otp?: OtpChannel;
  /** Requests per client IP per window on /oauth2/* (default 300 per minute). */
  rateLimit?: { max: number; windowMs: number };
}

export interface AuthServer {
  /** Verifies the request's bearer token: the Principal, or a 401 FhirError (UnauthorizedError). */
  authenticate: Authenticate;
  /** The same check with the revocation lookup left running (for reads that run beside it). */
  identify: Identify;
  db: Database;
  key: SigningKey;
  audience(): Audience;
  settings: AuthSettings;
}

export async function createAuthServer(
  db: Database,
  baseUrl: () => string,
  settings: AuthSettings = {},
): Promise<AuthServer> {
  const key = await loadSigningKey(db);
  const audience = (): Audience => {
    const fhirBase = baseUrl().replace(/\/+$/, '');
    return { issuer: issuerOf(fhirBase), fhirBase };
  };
  const identify = createIdentify(db, () => key, audience);
  return { authenticate: createAuthenticate(identify), identify, db, key, audience, settings };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The authorization server's token check (see docs/AUTH.md). */
    authenticate: Authenticate;
  }
}

async function oauthRoutes(app: FastifyInstance, { auth }: { auth: AuthServer }) {
  const limit = auth.settings.rateLimit ?? { max: 300, windowMs: 60_000 };
  const limiter = createRateLimiter(limit.max, limit.windowMs);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      try {
        done(null, parseForm(body as string));
      } catch (err) {
        done(err as Error, undefined);
      }
    },
  );
  app.addHook('onRequest', async (request, reply) => {
    const wait = limiter.hit(request.ip);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw new OAuthError('slow_down', 'too many requests from this address; try again later', 429);
    }
  });
  app.setErrorHandler((err: FastifyError, request, reply) => {
    let error: OAuthError;
    if (err instanceof OAuthError) error = err;
    else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      error = new OAuthError(
        'invalid_request',
        err.statusCode === 415 ? 'the body must be application/x-www-form-urlencoded' : err.message,
        err.statusCode === 415 ? 400 : err.statusCode,
      );
    } else {
      request.log.error(
        { err: { name: err.name, stack: err.stack } },
        'unhandled error in the authorization server',
      );
      return reply
        .code(500)
        .header('cache-control', 'no-store')
        .send({ error: 'server_error', error_description: 'internal server error' });
    }
    if (error.status === 401)
      reply.header(
        'www-authenticate',
        error.code === 'invalid_client' ? 'Basic realm="hoso"' : `Bearer error="${error.code}"`,
      );
    return reply.code(error.status).header('cache-control', 'no-store').send(error.body());
  });

  const issue = (): IssueContext => ({ db: auth.db, key: auth.key, audience: auth.audience() });
  const endpoints = () => endpointsOf(auth.audience().issuer);
  const fhirBase = () => auth.audience().fhirBase;
  await app.register(authorizeRoutes, {
    db: auth.db,
    otp: auth.settings.otp ?? noOtpChannel,
    fhirBase,
    issuer: () => endpoints().issuer,
  });
  await app.register(tokenRoutes, { issue, tokenEndpoint: () => endpoints().token });
  await app.register(tokenManagementRoutes, { issue, tokenEndpoint: () => endpoints().token });
}

export async function authPlugin(app: FastifyInstance, { auth }: { auth: AuthServer }) {
  const endpoints = () => endpointsOf(auth.audience().issuer);
  app.get('/fhir/.well-known/smart-configuration', async () => smartConfiguration(endpoints()));
  app.get('/.well-known/openid-configuration', async () => openidConfiguration(endpoints()));
  await app.register(oauthRoutes, { auth });
  await app.register(adminAuthRoutes, { db: auth.db, authenticate: auth.authenticate });
  const purge = setInterval(
    () =>
      void purgeExpired(auth.db).catch((err: Error) =>
        app.log.error({ err: { name: err.name, message: err.message } }, 'purging expired auth rows failed'),
      ),
    PURGE_INTERVAL_MS,
  );
  purge.unref();
  app.addHook('onClose', async () => clearInterval(purge));
}
