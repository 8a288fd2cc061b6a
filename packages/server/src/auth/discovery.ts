// The discovery documents: SMART App Launch's .well-known/smart-configuration (served relative to
// the FHIR base) and OpenID Connect's .well-known/openid-configuration (relative to the issuer).
// Pure: URLs in, JSON out.
import { ASSERTION_ALGS } from './clients.ts';
import { SIGNING_ALG } from './keys.ts';

export interface Endpoints {
  issuer: string;
  authorization: string;
  token: string;
  jwks: string;
  introspection: string;
  revocation: string;
  userinfo: string;
}

/** The OAuth endpoints under an issuer (the server origin: the FHIR base without its `/fhir`). */
export function endpointsOf(issuer: string): Endpoints {
  return {
    issuer,
    authorization: `${issuer}/oauth2/authorize`,
    token: `${issuer}/oauth2/token`,
    jwks: `${issuer}/oauth2/jwks`,
    introspection: `${issuer}/oauth2/introspect`,
    revocation: `${issuer}/oauth2/revoke`,
    userinfo: `${issuer}/oauth2/userinfo`,
  };
}

/** The issuer for a FHIR base URL: `http://host:8080/fhir` → `http://host:8080`. */
export const issuerOf = (fhirBase: string): string => fhirBase.replace(/\/+$/, '').replace(/\/fhir$/, '');

const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];
const SCOPES = [
  'openid',
  'fhirUser',
  'profile',
  'launch/patient',
  'offline_access',
  'patient/*.rs',
  'user/*.cruds',
  'user/*.rs',
  'system/*.rs',
  'system/*.cruds',
];

export function smartConfiguration(e: Endpoints) {
  return {
    issuer: e.issuer,
    jwks_uri: e.jwks,
    authorization_endpoint: e.authorization,
    token_endpoint: e.token,
    introspection_endpoint: e.introspection,
    revocation_endpoint: e.revocation,
    userinfo_endpoint: e.userinfo,
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types_supported: ['code'],
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    scopes_supported: SCOPES,
    code_challenge_methods_supported: ['S256'],
    capabilities: [
      'launch-standalone',
      'client-public',
      'client-confidential-symmetric',
      'client-confidential-asymmetric',
      'context-standalone-patient',
      'permission-offline',
      'permission-patient',
      'permission-user',
      'permission-v2',
      'sso-openid-connect',
      'authorize-post',
    ],
  };
}

export function openidConfiguration(e: Endpoints) {
  return {
    issuer: e.issuer,
    authorization_endpoint: e.authorization,
    token_endpoint: e.token,
    userinfo_endpoint: e.userinfo,
    jwks_uri: e.jwks,
    introspection_endpoint: e.introspection,
    revocation_endpoint: e.revocation,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [SIGNING_ALG],
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    scopes_supported: SCOPES,
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'nonce', 'fhirUser'],
    code_challenge_methods_supported: ['S256'],
  };
}
