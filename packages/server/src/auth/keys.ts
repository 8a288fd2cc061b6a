// The server's token signing key: an ES256 key pair generated on first start and kept in the
// database (slot 'primary'), so every process and restart signs and verifies with the same key.
// Only the public half ever leaves this module's callers; the private key is never logged.
import { type CryptoKey, type JWK, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { Database } from '../db/database.ts';
import { newSecret } from './secrets.ts';

export const SIGNING_ALG = 'ES256';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The public JWK with kid, alg and use, as served at /oauth2/jwks. */
  publicJwk: JWK;
}

interface KeyRow {
  kid: string;
  private_jwk: string;
  public_jwk: string;
}

/** Loads the signing key, creating it first when the database has none. */
export async function loadSigningKey(db: Database): Promise<SigningKey> {
  let [row] = await db.query<KeyRow>(
    "SELECT kid, private_jwk, public_jwk FROM auth_signing_key WHERE slot = 'primary'",
  );
  if (!row) {
    const pair = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const kid = newSecret().slice(0, 16);
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg: SIGNING_ALG, use: 'sig' };
    const privateJwk = { ...(await exportJWK(pair.privateKey)), kid, alg: SIGNING_ALG };
    await db.query(
      `INSERT INTO auth_signing_key (slot, kid, alg, private_jwk, public_jwk) VALUES ('primary', $1, $2, $3, $4)
       ON CONFLICT (slot) DO NOTHING`,
      [kid, SIGNING_ALG, JSON.stringify(privateJwk), JSON.stringify(publicJwk)],
    );
    [row] = await db.query<KeyRow>(
      "SELECT kid, private_jwk, public_jwk FROM auth_signing_key WHERE slot = 'primary'",
    );
  }
  const publicJwk = JSON.parse(row!.public_jwk) as JWK;
  return {
    kid: row!.kid,
    privateKey: (await importJWK(JSON.parse(row!.private_jwk) as JWK, SIGNING_ALG)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, SIGNING_ALG)) as CryptoKey,
    publicJwk,
  };
}
