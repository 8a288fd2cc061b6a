// Verifies the bearer token of a request and says who it speaks for. Pinned algorithm, issuer,
// audience (the FHIR base URL), type and expiry are checked by tokens.ts, once per token string
// (verified-cache.ts); revocation at every request, by one primary-key lookup of the token's grant —
// which `identify` leaves to the request (a CredentialCheck): a read goes on beside it, or checks
// the grant inside its own statement, and its answer waits for it. Writes and every other caller
// wait for it before anything happens.
// Any failure is a 401 OperationOutcome (code `login`) with
// `WWW-Authenticate: Bearer error="invalid_token"`; a missing token is a 401 too.
import type { FastifyRequest } from 'fastify';
import type { Queryable } from '../db/database.ts';
import { FhirError } from '../errors.ts';
import type { CredentialCheck } from '../store/model.ts';
import { isGrantRevoked } from './grants.ts';
import type { SigningKey } from './keys.ts';
import type { Principal } from './principal.ts';
import { type Audience, type VerifiedToken, verifyAccessToken } from './tokens.ts';
import { type VerifiedCache, createVerifiedCache } from './verified-cache.ts';

/** A 401 whose WWW-Authenticate header the plugin's and the app's error handlers send. */
export class UnauthorizedError extends FhirError {
  readonly wwwAuthenticate: string;

  constructor(diagnostics: string, invalidToken: boolean) {
    super(401, [{ severity: 'error', code: 'login', diagnostics }]);
    this.wwwAuthenticate = invalidToken
      ? `Bearer realm="hoso", error="invalid_token", error_description="${diagnostics}"`
      : 'Bearer realm="hoso"';
  }
}

export type Authenticate = (request: FastifyRequest) => Promise<Principal>;

/** A verified token's caller, and the check that its grant is not revoked, not yet made. */
export interface Identified {
  principal: Principal;
  credential: CredentialCheck;
}

export type Identify = (request: FastifyRequest) => Promise<Identified>;

/** The bearer token of an Authorization header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header ?? '');
  return match?.[1];
}

/**
 * Verifies a token string (or finds it verified in `cache`) and checks its grant is not revoked;
 * throws UnauthorizedError.
 */
export async function verifyBearer(
  db: Queryable,
  token: string,
  key: SigningKey,
  audience: Audience,
  cache?: VerifiedCache,
): Promise<VerifiedToken> {
  const verified = await verifySigned(token, key, audience, cache);
  await notRevoked(db, verified.grantId);
  return verified;
}

async function verifySigned(
  token: string,
  key: SigningKey,
  audience: Audience,
  cache?: VerifiedCache,
): Promise<VerifiedToken> {
  const cacheKey = `${audience.fhirBase} ${token}`;
  let verified = cache?.get(cacheKey);
  if (!verified) {
    try {
      verified = await verifyAccessToken(token, key, audience);
    } catch {
      throw new UnauthorizedError('the access token is invalid or expired', true);
    }
    cache?.set(cacheKey, verified);
  }
  return verified;
}

const revokedError = () => new UnauthorizedError('the access token was revoked', true);

async function notRevoked(db: Queryable, grantId: string): Promise<void> {
  if (await isGrantRevoked(db, grantId)) throw revokedError();
}

/** A CredentialCheck whose lookup (with `db`) starts when first needed, at most once. */
export function credentialCheck(db: Queryable, grantId: string): CredentialCheck {
  let outcome: Promise<void> | undefined;
  const adopt = (promise: Promise<void>) => {
    // Handled here so that a rejection nobody awaits yet is not an unhandled rejection; whoever
    // awaits `confirmed()` still receives it.
    promise.catch(() => undefined);
    outcome = promise;
    return promise;
  };
  return {
    grantId,
    confirmed: () => outcome ?? adopt(notRevoked(db, grantId)),
    settle: (promise) => void (outcome ?? adopt(promise)),
    get started() {
      return outcome !== undefined;
    },
  };
}

/** The SQLSTATE the database raises for a revoked or unknown grant (audit_require_grant). */
const REVOKED_STATE = '28000';

/**
 * Waits for `statement`, which confirms the credential's grant in the database as it runs, and
 * settles the credential from it: confirmed when it succeeds, a 401 when it raised for the grant.
 * Any other failure is rethrown and leaves the credential to its own lookup.
 */
export async function confirmedBy<T>(credential: CredentialCheck, statement: Promise<T>): Promise<T> {
  try {
    const result = await statement;
    credential.settle(Promise.resolve());
    return result;
  } catch (err) {
    if ((err as { code?: unknown }).code !== REVOKED_STATE) throw err;
    const revoked = revokedError();
    credential.settle(Promise.reject(revoked));
    throw revoked;
  }
}

/** Verifies the request's token; its revocation check is left to the request (see Identified). */
export function createIdentify(db: Queryable, key: () => SigningKey, audience: () => Audience): Identify {
  const cache = createVerifiedCache();
  return async (request) => {
    const header = request.headers.authorization;
    const token = bearerToken(header);
    if (!token) {
      throw header
        ? new UnauthorizedError('the Authorization header is not a Bearer token', true)
        : new UnauthorizedError('an access token is required (Authorization: Bearer …)', false);
    }
    const verified = await verifySigned(token, key(), audience(), cache);
    return { principal: verified.principal, credential: credentialCheck(db, verified.grantId) };
  };
}

/** Identifies the caller and waits for the revocation check: the Principal, or a 401. */
export function createAuthenticate(identify: Identify): Authenticate {
  return async (request) => {
    const { principal, credential } = await identify(request);
    await credential.confirmed();
    return principal;
  };
}
