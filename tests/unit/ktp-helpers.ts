/** Keys, identities and checker contexts shared by the digital-KTP unit tests. */
import { type JWK, exportJWK, generateKeyPair } from 'jose';
import { type HolderCredential, type IssueInput, MemoryNonceStore, OfficeKeySet, type VerifyContext, issueCredential } from '../../schema/ktp';

export interface OfficeKey {
  kid: string;
  key: CryptoKey;
  publicJwk: JWK;
}

export async function officeKey(kid: string): Promise<OfficeKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { kid, key: privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

export interface Device {
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** A device key as the PWA makes it: WebCrypto P-256, private half non-extractable. */
export async function deviceKey(): Promise<Device> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  return { privateKey: pair.privateKey, publicJwk: (await crypto.subtle.exportKey('jwk', pair.publicKey)) as JWK };
}

/** 2026-03-02T03:00:00Z, a Monday morning in Tabalong. */
export const T0 = Date.UTC(2026, 2, 2, 3, 0, 0);
export const DAY = 86_400;

export function identity(device: Device, over: Partial<IssueInput> = {}): IssueInput {
  return {
    name: 'SITI AMINAH',
    nik: '6309014101000001',
    birthDate: '2000-01-01',
    address: { street: 'Jl. Tanjung 1 RT 003/RW 002', districtCode: '63.09.01' },
    ageOver17: true,
    officeCode: '63.09',
    devicePublicJwk: device.publicJwk,
    issuedAt: T0 / 1000,
    expiresAt: T0 / 1000 + 30 * DAY,
    ...over,
  };
}

export async function issued(office: OfficeKey, device: Device, over: Partial<IssueInput> = {}): Promise<HolderCredential> {
  return issueCredential(identity(device, over), office);
}

/** A checker context at a settable time; `blocked` and the nonce memory are fresh per call. */
export function checker(keys: OfficeKey[], opts: { now?: number; blocked?: string[] } = {}): VerifyContext & { setNow(ms: number): void } {
  let now = opts.now ?? T0;
  const clock = () => now;
  return {
    keys: new OfficeKeySet({ keys: keys.map((k) => k.publicJwk) }),
    blocked: new Set(opts.blocked ?? []),
    nonces: new MemoryNonceStore(clock),
    now: clock,
    setNow(ms: number) {
      now = ms;
    },
  };
}
