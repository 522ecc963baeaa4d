/**
 * Electronic signature (TTE) of a PDF behind one interface. Locally the office key signs (a detached ES256 JWS over
 * the file's SHA-256, kept beside the file); in production the BSrE Esign API v2 signs the PDF itself
 * (`POST /api/v2/sign/pdf`: signer's NIK, passphrase or TOTP, base64 file → signed file). Chosen by TTE_PROVIDER.
 */
import { CompactSign } from 'jose';
import type { Env } from '../env';
import { ApiError } from '../errors';
import { officeKeys, SIGNING_ALG } from '../keys';
import { sha256Hex } from '../birth/hash';

export interface SignerIdentity {
  /** The head of office's NIK as BSrE knows the certificate holder. */
  nik?: string;
  passphrase?: string;
  totp?: string;
}

export interface SignedPdf {
  pdf: Uint8Array;
  provider: 'local' | 'bsre';
  /** Local adapter: compact JWS over {sha256} of the PDF, verifiable with the office JWKS. */
  detachedSignature?: string;
}

export interface DocumentSigner {
  sign(pdf: Uint8Array, signer: SignerIdentity): Promise<SignedPdf>;
}

export const DETACHED_TYP = 'document-signature+jws';

/** The office key signs the file's hash; the PDF bytes stay as rendered. */
export function localSigner(env: Pick<Env, 'OFFICE_SIGNING_KEYS'>): DocumentSigner {
  return {
    async sign(pdf) {
      const { signing } = await officeKeys(env);
      const payload = new TextEncoder().encode(JSON.stringify({ sha256: await sha256Hex(pdf), alg: 'SHA-256' }));
      const detachedSignature = await new CompactSign(payload).setProtectedHeader({ alg: SIGNING_ALG, kid: signing.kid, typ: DETACHED_TYP }).sign(signing.key);
      return { pdf, provider: 'local', detachedSignature };
    },
  };
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export interface BsreConfig {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/**
 * BSrE Esign API v2: basic auth with the client credentials; body {nik, passphrase | totp, signatureProperties,
 * file: [base64]}; a 200 answer carries {file: [base64 signed PDF]}; errors carry {status_code, error}.
 * Every failure (timeout, network, refusal, an answer that is not a PDF) is `signature_service_failed`.
 */
export function bsreSigner(cfg: BsreConfig): DocumentSigner {
  const doFetch = cfg.fetch ?? fetch;
  return {
    async sign(pdf, signer) {
      if (!signer.nik || (!signer.passphrase && !signer.totp)) throw new ApiError('signature_service_failed', 'BSrE needs the signer NIK and a passphrase or TOTP');
      let res: Response;
      try {
        res = await doFetch(`${cfg.baseUrl.replace(/\/$/, '')}/api/v2/sign/pdf`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Basic ${btoa(`${cfg.clientId}:${cfg.clientSecret}`)}` },
          body: JSON.stringify({
            nik: signer.nik,
            ...(signer.passphrase ? { passphrase: signer.passphrase } : { totp: signer.totp }),
            signatureProperties: [{ tampilan: 'INVISIBLE', reason: 'Akta kelahiran', location: 'Indonesia' }],
            file: [toBase64(pdf)],
          }),
          signal: AbortSignal.timeout(cfg.timeoutMs),
        });
      } catch (err) {
        const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
        throw new ApiError('signature_service_failed', timedOut ? `BSrE did not answer within ${cfg.timeoutMs} ms` : 'BSrE unreachable');
      }
      const body = (await res.json().catch(() => null)) as { file?: unknown; error?: unknown; status_code?: unknown } | null;
      if (!res.ok) throw new ApiError('signature_service_failed', `BSrE refused (${res.status}): ${typeof body?.error === 'string' ? body.error : 'no reason'}`, { bsreStatus: res.status });
      const file = Array.isArray(body?.file) ? body.file[0] : undefined;
      const signed = typeof file === 'string' ? fromBase64(file) : null;
      if (!signed || new TextDecoder().decode(signed.subarray(0, 5)) !== '%PDF-') throw new ApiError('signature_service_failed', 'BSrE answered without a signed PDF');
      return { pdf: signed, provider: 'bsre' };
    },
  };
}

/** The configured signer. */
export function documentSigner(env: Env): DocumentSigner {
  if (env.TTE_PROVIDER === 'bsre') {
    if (!env.BSRE_BASE_URL || !env.BSRE_CLIENT_ID || !env.BSRE_CLIENT_SECRET) throw new Error('TTE_PROVIDER=bsre needs BSRE_BASE_URL, BSRE_CLIENT_ID and BSRE_CLIENT_SECRET');
    return bsreSigner({ baseUrl: env.BSRE_BASE_URL, clientId: env.BSRE_CLIENT_ID, clientSecret: env.BSRE_CLIENT_SECRET, timeoutMs: Number(env.BSRE_TIMEOUT_MS ?? 30_000) });
  }
  return localSigner(env);
}
