// GET and POST /oauth2/authorize: the authorization code flow's browser side. GET checks the
// request and shows the password form; POST step=password checks the password (patients by
// citizen ID, staff by username) and sends a one-time code (a code that cannot be delivered ends
// the sign-in); POST step=code checks it, narrows the scopes to the account and the client, and
// redirects back with a single-use code.
import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from 'fastify';
import { cleanCccd, isValidCccd } from '@hoso/vn/cccd';
import { checkPassword, findAccount, isUsable } from './accounts.ts';
import {
  type AuthorizationRequest,
  type RequestCheck,
  checkAuthorizationRequest,
  redirectWith,
} from './authorization-request.ts';
import { findClient } from './clients.ts';
import { type Form, bodyForm, parseQuery } from './form.ts';
import { issueCode } from './grants.ts';
import { accountIdentity } from './issue.ts';
import { OAuthError } from './oauth-error.ts';
import { type OtpChannel, OtpDeliveryError } from './otp.ts';
import { grantScopes } from './scope-policy.ts';
import { cancelSignIn, finishSignIn, startSignIn } from './sign-in.ts';
import { codePage, errorPage, passwordPage } from './sign-in-page.ts';
import type { Database } from '../db/database.ts';
import { formatScopes } from '../access/scopes.ts';

export interface AuthorizeOptions {
  db: Database;
  otp: OtpChannel;
  fhirBase: () => string;
  issuer: () => string;
}

const REQUEST_PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'aud',
  'code_challenge',
  'code_challenge_method',
  'nonce',
];

const SIGN_IN_FAILED =
  'Sai số CCCD/tên đăng nhập hoặc mật khẩu, hoặc tài khoản đang tạm khoá. / Wrong citizen ID, username or password, or the account is locked for a while.';

const NOT_SENT = {
  'no-phone':
    'Tài khoản chưa có số điện thoại di động để nhận mã; hãy liên hệ quản trị viên. / The account has no mobile phone number for one-time codes; ask an administrator.',
  unavailable:
    'Chưa gửi được mã đăng nhập; hãy thử lại sau. / The one-time code could not be sent; try again later.',
} as const;

function html(reply: FastifyReply, status: number, body: string) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    )
    .header('x-frame-options', 'DENY')
    .type('text/html; charset=utf-8')
    .send(body);
}

const requestFields = (form: Form) =>
  new Map(REQUEST_PARAMS.filter((p) => form.has(p)).map((p) => [p, form.get(p)!] as [string, string]));

export async function authorizeRoutes(app: FastifyInstance, options: AuthorizeOptions) {
  const { db } = options;
  const check = (form: Form): Promise<RequestCheck> =>
    checkAuthorizationRequest(db, form, options.fhirBase(), options.issuer());

  /** Answers a failed request check: an error page (no trusted redirect yet) or a redirect. */
  const refuse = (reply: FastifyReply, failed: Exclude<RequestCheck, { ok: true }>) =>
    'page' in failed ? html(reply, 400, errorPage(failed.page)) : reply.redirect(failed.redirect, 302);

  app.get('/oauth2/authorize', async (request, reply) => {
    const form = parseQuery(request.url);
    const checked = await check(form);
    if (!checked.ok) return refuse(reply, checked);
    return html(reply, 200, passwordPage(requestFields(form)));
  });

  const passwordStep = async (form: Form, reply: FastifyReply, log: FastifyBaseLogger) => {
    const checked = await check(form);
    if (!checked.ok) return refuse(reply, checked);
    const login = (form.get('login') ?? '').trim();
    const patient = /^[\d\s.-]+$/.test(login);
    if (patient && !isValidCccd(cleanCccd(login))) {
      return html(
        reply,
        400,
        passwordPage(
          requestFields(form),
          'Số CCCD phải gồm 12 chữ số hợp lệ. / A citizen ID is 12 valid digits.',
        ),
      );
    }
    const account = await checkPassword(db, patient ? 'patient' : 'staff', login, form.get('password') ?? '');
    if (!account) return html(reply, 401, passwordPage(requestFields(form), SIGN_IN_FAILED));
    const pending = await startSignIn(db, account.id, JSON.stringify(checked.request));
    try {
      await options.otp.send(account, pending.code);
    } catch (err) {
      await cancelSignIn(db, pending.handle);
      if (!(err instanceof OtpDeliveryError)) throw err;
      log.warn(`one-time code not delivered: ${err.message}`);
      const status = err.reason === 'no-phone' ? 403 : 503;
      return html(reply, status, passwordPage(requestFields(form), NOT_SENT[err.reason]));
    }
    return html(reply, 200, codePage(pending.handle));
  };

  const codeStep = async (form: Form, reply: FastifyReply) => {
    const handle = form.get('handle') ?? '';
    const result = await finishSignIn(db, handle, form.get('code') ?? '');
    if (!result.ok) {
      return result.retry
        ? html(reply, 401, codePage(handle, 'Mã không đúng. / The code is wrong.'))
        : html(
            reply,
            400,
            errorPage(
              'Mã đã hết hạn hoặc sai quá nhiều lần; hãy đăng nhập lại. / The code expired or was wrong too often; sign in again.',
            ),
          );
    }
    const request = JSON.parse(result.request) as AuthorizationRequest;
    const client = await findClient(db, request.clientId);
    const account = await findAccount(db, result.accountId);
    if (!client || !account || !(await isUsable(db, account.id))) {
      return html(reply, 400, errorPage(SIGN_IN_FAILED));
    }
    const back = (params: Record<string, string>) =>
      reply.redirect(
        redirectWith(request.redirectUri, { ...params, state: request.state, iss: options.issuer() }),
        302,
      );
    const granted = grantScopes(request.scope, account.kind, client.scopes);
    if (!granted)
      return back({
        error: 'invalid_scope',
        error_description: 'none of the requested scopes can be granted to this account',
      });
    try {
      await accountIdentity(db, account);
    } catch (err) {
      if (err instanceof OAuthError) return back(err.body());
      throw err;
    }
    const code = await issueCode(db, { ...request, accountId: account.id, scope: formatScopes(granted) });
    return back({ code });
  };

  app.post('/oauth2/authorize', async (request, reply) => {
    const form = bodyForm(request.body);
    return form.get('step') === 'code' ? codeStep(form, reply) : passwordStep(form, reply, request.log);
  });
}
