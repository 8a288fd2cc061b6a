// Signs and verifies the server's JWTs: access tokens (RFC 9068 `at+jwt`, ES256, 15 minutes) and
// OpenID Connect id tokens. Verification pins the algorithm, the issuer, the audience and the
// token type, so `alg: none`, HS256-with-the-public-key and tokens for another server all fail.
// Knows nothing of accounts, grants or revocation.
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { Principal, PrincipalKind } from './principal.ts';
import { parseScopes } from '../access/scopes.ts';
import { SIGNING_ALG, type SigningKey } from './keys.ts';

export const ACCESS_TOKEN_SECONDS = 15 * 60;
const ID_TOKEN_SECONDS = 60 * 60;
export const CLOCK_TOLERANCE_SECONDS = 5;

export interface Audience {
  issuer: string;
  /** The FHIR base URL: every access token's `aud`. */
  fhirBase: string;
}

/** What an access token speaks for, before signing. */
export interface TokenSubject {
  kind: PrincipalKind;
  subject: string;
  clientId: string;
  scope: string;
  /** The grant (token family) the token belongs to, for revocation. */
  grantId: string;
  patient?: string;
  fhirUser?: string;
  organization?: string;
  role?: string;
}

const optional = (claims: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));

export async function signAccessToken(key: SigningKey, audience: Audience, s: TokenSubject): Promise<string> {
  return new SignJWT({
    scope: s.scope,
    client_id: s.clientId,
    kind: s.kind,
    gid: s.grantId,
    ...optional({ patient: s.patient, fhirUser: s.fhirUser, organization: s.organization, role: s.role }),
  })
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: 'at+jwt' })
    .setIssuer(audience.issuer)
    .setSubject(s.subject)
    .setAudience(audience.fhirBase)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_SECONDS}s`)
    .setJti(randomUUID())
    .sign(key.privateKey);
}

export async function signIdToken(
  key: SigningKey,
  issuer: string,
  claims: { subject: string; clientId: string; fhirUser?: string; nonce?: string },
): Promise<string> {
  return new SignJWT(optional({ fhirUser: claims.fhirUser, nonce: claims.nonce }))
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setSubject(claims.subject)
    .setAudience(claims.clientId)
    .setIssuedAt()
    .setExpirationTime(`${ID_TOKEN_SECONDS}s`)
    .sign(key.privateKey);
}

const KINDS: readonly string[] = ['patient', 'practitioner', 'system', 'analyst', 'admin'];

export interface VerifiedToken {
  principal: Principal;
  grantId: string;
}

/** Verifies an access token; throws (any jose error, or a plain Error for bad claims) when it fails. */
export async function verifyAccessToken(
  token: string,
  key: SigningKey,
  audience: Audience,
): Promise<VerifiedToken> {
  const { payload } = await jwtVerify(token, key.publicKey, {
    algorithms: [SIGNING_ALG],
    issuer: audience.issuer,
    audience: audience.fhirBase,
    typ: 'at+jwt',
    requiredClaims: ['exp', 'iat', 'jti', 'sub', 'scope', 'client_id', 'kind', 'gid'],
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
  });
  const text = (name: string) => (typeof payload[name] === 'string' ? (payload[name] as string) : undefined);
  const kind = text('kind');
  const scope = text('scope');
  const clientId = text('client_id');
  const grantId = text('gid');
  if (!kind || !KINDS.includes(kind) || scope === undefined || !clientId || !grantId) {
    throw new Error('the token has malformed claims');
  }
  const principal: Principal = {
    kind: kind as PrincipalKind,
    subject: payload.sub!,
    clientId,
    scopes: parseScopes(scope),
    tokenId: payload.jti!,
    expiresAt: payload.exp!,
    ...optional({
      patient: text('patient'),
      fhirUser: text('fhirUser'),
      organization: text('organization'),
      role: text('role'),
    }),
  };
  return { principal, grantId };
}
