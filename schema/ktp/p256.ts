/**
 * P-256 public keys as 33-byte compressed points (SEC 1 §2.3.3) and back to JWK, so a credential can carry the
 * device key itself: a thumbprint alone names a key but cannot verify its signature.
 */
import { calculateJwkThumbprint, type JWK } from 'jose';
import { b64u, KtpFormatError } from './bytes';

// Curve constants from SEC 2 / FIPS 186-4 (secp256r1).
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

function mod(a: bigint): bigint {
  const r = a % P;
  return r >= 0n ? r : r + P;
}

function powMod(base: bigint, exp: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return result;
}

function toBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

function toBytes32(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let v = n;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** The public P-256 JWK members a thumbprint and an import need. */
export interface P256PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

/** Compressed point of a public P-256 JWK (only kty/crv/x/y are read; a private `d` is ignored). */
export function compressPoint(jwk: Pick<JWK, 'kty' | 'crv' | 'x' | 'y'>): Uint8Array {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw new RangeError('not a P-256 public JWK');
  const x = b64u.decode(jwk.x);
  const y = b64u.decode(jwk.y);
  if (x.length !== 32 || y.length !== 32) throw new RangeError('P-256 coordinates must be 32 bytes');
  const out = new Uint8Array(33);
  out[0] = 0x02 | (y[31]! & 1);
  out.set(x, 1);
  // Round trip: refuses an (x, y) pair that is not a point of the curve.
  if (decompressPoint(out).y !== b64u.encode(y)) throw new RangeError('(x, y) is not a point on P-256');
  return out;
}

/** Public JWK of a compressed point; throws KtpFormatError('bad_field') when the bytes are not a point on P-256. */
export function decompressPoint(point: Uint8Array): P256PublicJwk {
  if (point.length !== 33 || (point[0] !== 0x02 && point[0] !== 0x03)) throw new KtpFormatError('bad_field', 'not a compressed P-256 point');
  const x = toBigInt(point.subarray(1));
  if (x >= P) throw new KtpFormatError('bad_field', 'x outside the field');
  const rhs = mod(x * x * x - 3n * x + B);
  // P ≡ 3 (mod 4), so a square root is rhs^((P+1)/4) when one exists.
  let y = powMod(rhs, (P + 1n) / 4n);
  if ((y * y) % P !== rhs) throw new KtpFormatError('bad_field', 'x is not on P-256');
  if (Number(y & 1n) !== (point[0]! & 1)) y = P - y;
  return { kty: 'EC', crv: 'P-256', x: b64u.encode(toBytes32(x)), y: b64u.encode(toBytes32(y)) };
}

/** RFC 7638 SHA-256 thumbprint (base64url), the device id used in `devices.thumbprint` and the blocked list. */
export function thumbprintOf(jwk: P256PublicJwk | JWK): Promise<string> {
  const { kty, crv, x, y } = jwk as JWK;
  return calculateJwkThumbprint({ kty, crv, x, y } as JWK, 'sha256');
}
