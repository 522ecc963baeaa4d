/** Shapes of the digital-KTP rows in the PWA's IndexedDB (tables declared in web/src/db.ts, version 2). */
/**
 * The office-signed credential, encrypted with a key derived from the resident's PIN (PBKDF2 → AES-GCM), so opening
 * it offline needs the PIN and the personal data in it is not readable at rest. Only times stay in clear.
 */
export interface KtpCredentialRecord {
  key: 'current';
  nik: string;
  thumbprint: string;
  issuedAt: number;
  expiresAt: number;
  /** When it was fetched (epoch ms): a refresh is due online after a while. */
  fetchedAt: number;
  kdf: { name: 'PBKDF2-SHA256'; iterations: number; salt: string };
  iv: string;
  ciphertext: ArrayBuffer;
  /** Wrong PINs tried offline since the last success; the copy is wiped at the limit. */
  failedPins: number;
}

/** A checker's cached public list: the office JWKS or the blocked-device list, with when it was fetched. */
export interface KtpListRecord {
  name: 'jwks' | 'blocked';
  value: unknown;
  fetchedAt: number;
  /** blocked list only: when the server read it from the database */
  generatedAt?: number;
}

/** A presentation nonce this checker has accepted, kept until the presentation could no longer be valid anyway. */
export interface KtpNonceRecord {
  key: string;
  expiresAt: number;
}
