// Names the client of a refresh request that does not name itself. RFC 6749 §6 and SMART App
// Launch list only grant_type, refresh_token and scope for a refresh, and public clients such as
// the fhirclient library send no more: the client is then the one the refresh token was issued
// to. This never authenticates anyone — authenticateClient still refuses a confidential client
// that sent no credentials, and consumeRefreshToken still checks the token against the client.
import type { Queryable } from '../db/database.ts';
import type { Form } from './form.ts';
import { findRefreshToken } from './grants.ts';

const CLIENT_PARAMS = ['client_id', 'client_secret', 'client_assertion'];

/** The form with `client_id` added when a refresh request carries no client identification. */
export async function withRefreshTokenClient(
  db: Queryable,
  form: Form,
  authorization: string | undefined,
): Promise<Form> {
  const token = form.get('refresh_token');
  if (form.get('grant_type') !== 'refresh_token' || token === undefined || authorization !== undefined)
    return form;
  if (CLIENT_PARAMS.some((name) => form.has(name))) return form;
  const found = await findRefreshToken(db, token);
  return found ? new Map(form).set('client_id', found.clientId) : form;
}
