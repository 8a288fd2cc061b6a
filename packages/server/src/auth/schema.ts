// The authorization server's tables (migration 30): accounts, registered clients, the signing key,
// sign-in attempts with their one-time codes, authorization codes, grants (token families),
// refresh tokens and seen client-assertion ids. Secrets are stored only as hashes; nothing here
// holds clinical data.
export const AUTH_SCHEMA = `
-- People who sign in. login: a citizen ID (patients) or a username (staff), unique together.
CREATE TABLE auth_account (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('patient', 'practitioner', 'analyst', 'admin')),
  login text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  practitioner_id text,
  organization_id text,
  role text,
  phone text,
  active boolean NOT NULL DEFAULT true,
  failed_count integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Registered OAuth clients: public (PKCE, no secret) or confidential (secret hash and/or JWKS).
CREATE TABLE auth_client (
  id text PRIMARY KEY,
  name text NOT NULL,
  confidential boolean NOT NULL,
  redirect_uris text[] NOT NULL DEFAULT '{}',
  secret_hash text,
  jwks text,
  scopes text NOT NULL,
  organization_id text,
  grant_types text[] NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The token signing key pair (one row, slot 'primary'); public keys are served at /oauth2/jwks.
CREATE TABLE auth_signing_key (
  slot text PRIMARY KEY,
  kid text NOT NULL UNIQUE,
  alg text NOT NULL,
  private_jwk text NOT NULL,
  public_jwk text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A sign-in in progress after the password: keyed by the hash of the browser's secret; the
-- one-time code is stored as an HMAC keyed with that secret.
CREATE TABLE auth_login (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES auth_account (id),
  request text NOT NULL,
  otp_hash text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  expires_at timestamptz NOT NULL,
  done boolean NOT NULL DEFAULT false
);

-- A token family: every access and refresh token issued from one authorization (or one client
-- credentials request). Revoking it revokes them all.
CREATE TABLE auth_grant (
  id text PRIMARY KEY,
  client_id text NOT NULL,
  account_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

-- Authorization codes, by hash: single use; a replay revokes the grant issued from the code.
CREATE TABLE auth_code (
  hash text PRIMARY KEY,
  client_id text NOT NULL,
  redirect_uri text NOT NULL,
  account_id text NOT NULL REFERENCES auth_account (id),
  scope text NOT NULL,
  code_challenge text NOT NULL,
  nonce text,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  grant_id text
);

-- Refresh tokens, by hash: rotated at each use; reusing a rotated one revokes the grant.
CREATE TABLE auth_refresh (
  hash text PRIMARY KEY,
  grant_id text NOT NULL REFERENCES auth_grant (id),
  scope text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

-- Client assertion ids (private_key_jwt) seen until they expire: a replay is refused.
CREATE TABLE auth_assertion (
  client_id text NOT NULL,
  jti text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (client_id, jti)
);
CREATE INDEX auth_assertion_expiry ON auth_assertion (expires_at);
`;
