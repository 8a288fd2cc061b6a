// Reads an application/x-www-form-urlencoded body (the OAuth endpoints' format) into single values.
// RFC 6749 §3.1: a parameter sent more than once is an invalid request, never silently resolved.
import { OAuthError } from './oauth-error.ts';

export type Form = ReadonlyMap<string, string>;

export function parseForm(body: string): Form {
  const form = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(body)) {
    if (form.has(name)) throw new OAuthError('invalid_request', `the parameter ${name} is repeated`);
    if (value !== '') form.set(name, value);
  }
  return form;
}

/** Single values of a query string, with the same rule. */
export function parseQuery(url: string): Form {
  const at = url.indexOf('?');
  return parseForm(at < 0 ? '' : url.slice(at + 1));
}

export function required(form: Form, name: string): string {
  const value = form.get(name);
  if (value === undefined) throw new OAuthError('invalid_request', `the parameter ${name} is missing`);
  return value;
}

/** The parsed form of a request body (an empty form when there was no body). */
export const bodyForm = (body: unknown): Form => (body instanceof Map ? (body as Form) : new Map());
