// POST /oauth2/token: the authorization_code (with PKCE), refresh_token (rotating) and
// client_credentials (facility systems; secret or private_key_jwt) grants. Every refusal is an
// RFC 6749 JSON error; no grant ever yields more scope than was granted before.
import type { FastifyInstance } from 'fastify';
import { type Account, findAccount, isUsable } from './accounts.ts';
import { type Client, authenticateClient } from './clients.ts';
import { type Form, bodyForm, required } from './form.ts';
import { consumeRefreshToken, createGrant, redeemCode, revokeGrant } from './grants.ts';
import { type IssueContext, accountIdentity, systemIdentity, tokenResponse } from './issue.ts';
import { OAuthError } from './oauth-error.ts';
import { pkceMatches } from './pkce.ts';
import { withRefreshTokenClient } from './refresh-client.ts';
import { grantScopes, narrowToGranted } from './scope-policy.ts';
import { parseScopes } from '../access/scopes.ts';

export interface TokenRouteOptions {
  issue: () => IssueContext;
  tokenEndpoint: () => string;
}

function requireGrantType(client: Client, grant: Client['grantTypes'][number]) {
  if (!client.grantTypes.includes(grant)) {
    throw new OAuthError('unauthorized_client', `this client may not use the ${grant} grant`);
  }
}

/** The account's identity; at the token endpoint a patient without a record is invalid_grant. */
async function identityForToken(ctx: IssueContext, account: Account) {
  try {
    return await accountIdentity(ctx.db, account);
  } catch (err) {
    throw err instanceof OAuthError ? new OAuthError('invalid_grant', err.description) : err;
  }
}

export async function tokenRoutes(app: FastifyInstance, options: TokenRouteOptions) {
  const authorizationCode = async (ctx: IssueContext, client: Client, form: Form) => {
    requireGrantType(client, 'authorization_code');
    const code = await redeemCode(ctx.db, required(form, 'code'), client.id);
    const fail = async (description: string) => {
      await revokeGrant(ctx.db, code.grantId);
      return new OAuthError('invalid_grant', description);
    };
    if (form.get('redirect_uri') !== code.redirectUri)
      throw await fail('redirect_uri does not match the authorization request');
    if (!pkceMatches(form.get('code_verifier'), code.codeChallenge))
      throw await fail('code_verifier does not match the code_challenge');
    const account = await findAccount(ctx.db, code.accountId);
    if (!account || !(await isUsable(ctx.db, account.id))) throw await fail('the account is not usable');
    const identity = await identityForToken(ctx, account);
    return tokenResponse(ctx, identity, client, parseScopes(code.scope), code.grantId, code.nonce);
  };

  const refreshToken = async (ctx: IssueContext, client: Client, form: Form) => {
    requireGrantType(client, 'refresh_token');
    const grant = await consumeRefreshToken(ctx.db, required(form, 'refresh_token'), client.id);
    const scopes = form.has('scope')
      ? narrowToGranted(form.get('scope')!, grant.scope)
      : parseScopes(grant.scope);
    if (!scopes) throw new OAuthError('invalid_scope', 'scope must be a subset of the granted scopes');
    const account = grant.accountId ? await findAccount(ctx.db, grant.accountId) : undefined;
    if (!account || !(await isUsable(ctx.db, account.id))) {
      await revokeGrant(ctx.db, grant.grantId);
      throw new OAuthError('invalid_grant', 'the account is not usable');
    }
    return tokenResponse(ctx, await identityForToken(ctx, account), client, scopes, grant.grantId);
  };

  const clientCredentials = async (ctx: IssueContext, client: Client, form: Form) => {
    requireGrantType(client, 'client_credentials');
    const scopes = grantScopes(required(form, 'scope'), 'system', client.scopes);
    if (!scopes)
      throw new OAuthError('invalid_scope', 'none of the requested scopes is registered for this client');
    const grantId = await createGrant(ctx.db, client.id, undefined);
    return tokenResponse(ctx, systemIdentity(client), client, scopes, grantId);
  };

  const grants = {
    authorization_code: authorizationCode,
    refresh_token: refreshToken,
    client_credentials: clientCredentials,
  };

  app.post('/oauth2/token', async (request, reply) => {
    const form = bodyForm(request.body);
    const grantType = required(form, 'grant_type');
    if (!Object.hasOwn(grants, grantType)) {
      throw new OAuthError('unsupported_grant_type', `grant_type ${grantType} is not supported`);
    }
    const ctx = options.issue();
    const client = await authenticateClient(
      ctx.db,
      await withRefreshTokenClient(ctx.db, form, request.headers.authorization),
      request.headers.authorization,
      options.tokenEndpoint(),
    );
    const response = await grants[grantType as keyof typeof grants](ctx, client, form);
    return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(response);
  });
}
