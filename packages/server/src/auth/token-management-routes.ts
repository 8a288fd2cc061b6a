// The endpoints around issued tokens: POST /oauth2/introspect (RFC 7662, confidential clients
// only), POST /oauth2/revoke (RFC 7009: revokes the token's whole grant), GET /oauth2/userinfo
// (OpenID Connect, needs an access token with openid) and GET /oauth2/jwks (public keys only).
import type { FastifyInstance } from 'fastify';
import { decodeJwt } from 'jose';
import { authenticateClient } from './clients.ts';
import { type Form, bodyForm, required } from './form.ts';
import { findRefreshToken, revokeGrant } from './grants.ts';
import type { IssueContext } from './issue.ts';
import { OAuthError } from './oauth-error.ts';
import { UnauthorizedError, bearerToken, verifyBearer } from './authenticate.ts';
import { formatScopes } from '../access/scopes.ts';

export interface TokenManagementOptions {
  issue: () => IssueContext;
  tokenEndpoint: () => string;
}

/** The grant of an access token this server signed (even an expired one), or undefined. */
function grantOfJwt(token: string): { grantId: string; clientId: string } | undefined {
  try {
    const claims = decodeJwt(token);
    return typeof claims.gid === 'string' && typeof claims.client_id === 'string'
      ? { grantId: claims.gid, clientId: claims.client_id }
      : undefined;
  } catch {
    return undefined;
  }
}

export async function tokenManagementRoutes(app: FastifyInstance, options: TokenManagementOptions) {
  const callingClient = (form: Form, authorization: string | undefined) =>
    authenticateClient(options.issue().db, form, authorization, options.tokenEndpoint());

  app.get('/oauth2/jwks', async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=300').send({ keys: [options.issue().key.publicJwk] }),
  );

  app.post('/oauth2/introspect', async (request) => {
    const form = bodyForm(request.body);
    const client = await callingClient(form, request.headers.authorization);
    if (!client.confidential)
      throw new OAuthError('invalid_client', 'introspection requires a confidential client', 401);
    const token = required(form, 'token');
    const ctx = options.issue();
    if (token.split('.').length === 3) {
      try {
        const { principal } = await verifyBearer(ctx.db, token, ctx.key, ctx.audience);
        return {
          active: true,
          token_type: 'Bearer',
          scope: formatScopes(principal.scopes),
          client_id: principal.clientId,
          sub: principal.subject,
          exp: principal.expiresAt,
          iss: ctx.audience.issuer,
          aud: ctx.audience.fhirBase,
          jti: principal.tokenId,
          kind: principal.kind,
          ...(principal.patient ? { patient: principal.patient } : {}),
          ...(principal.fhirUser ? { fhirUser: principal.fhirUser } : {}),
          ...(principal.organization ? { organization: principal.organization } : {}),
          ...(principal.role ? { role: principal.role } : {}),
        };
      } catch (err) {
        if (err instanceof UnauthorizedError) return { active: false };
        throw err;
      }
    }
    const refresh = await findRefreshToken(ctx.db, token);
    return refresh?.active
      ? {
          active: true,
          token_type: 'refresh_token',
          scope: refresh.scope,
          client_id: refresh.clientId,
          ...(refresh.accountId ? { sub: refresh.accountId } : {}),
        }
      : { active: false };
  });

  app.post('/oauth2/revoke', async (request, reply) => {
    const form = bodyForm(request.body);
    const client = await callingClient(form, request.headers.authorization);
    const token = required(form, 'token');
    const db = options.issue().db;
    const grant = grantOfJwt(token) ?? (await findRefreshToken(db, token));
    if (grant && grant.clientId === client.id) await revokeGrant(db, grant.grantId);
    return reply.code(200).header('cache-control', 'no-store').send();
  });

  app.get('/oauth2/userinfo', async (request) => {
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new OAuthError('invalid_token', 'an access token is required');
    const ctx = options.issue();
    let principal;
    try {
      ({ principal } = await verifyBearer(ctx.db, token, ctx.key, ctx.audience));
    } catch {
      throw new OAuthError('invalid_token', 'the access token is invalid, expired or revoked');
    }
    if (!principal.scopes.other.has('openid'))
      throw new OAuthError('insufficient_scope', 'the token was not granted openid', 403);
    return { sub: principal.subject, ...(principal.fhirUser ? { fhirUser: principal.fhirUser } : {}) };
  });
}
