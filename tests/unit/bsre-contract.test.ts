/**
 * Contract test of the BSrE Esign API v2 adapter against a local fake of that API (a real HTTP server on
 * loopback): the request it sends (path, basic auth, NIK, passphrase or TOTP, base64 PDF), the signed file it
 * takes back, and every failure turned into `signature_service_failed` (refusal, timeout, unreachable, not a PDF).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bsreSigner } from '../../worker/documents/signer';
import { ApiError } from '../../worker/errors';

const CLIENT = { id: 'loket-tabalong', secret: 's3cret' };
const SIGNER = { nik: '6309011203700001', passphrase: 'Rahasia-Kadis-1' };
const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n');
type Mode = 'ok' | 'wrong_passphrase' | 'slow' | 'not_pdf';
let mode: Mode = 'ok';
let seen: { path?: string; auth?: string; body?: Record<string, unknown> } = {};
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      seen = { path: req.url, auth: req.headers.authorization, body: JSON.parse(raw) as Record<string, unknown> };
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== '/api/v2/sign/pdf') return send(404, { status_code: 404, error: 'not found' });
      if (req.headers.authorization !== `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`) return send(401, { status_code: 401, error: 'unauthorized' });
      const b = seen.body!;
      if (b.passphrase !== SIGNER.passphrase && b.totp === undefined) return send(400, { status_code: 2031, error: 'Passphrase anda salah' });
      if (mode === 'slow') return void setTimeout(() => send(200, { file: [] }), 500);
      if (mode === 'not_pdf') return send(200, { file: [Buffer.from('<html>').toString('base64')] });
      // "Signing": the fake appends an incremental-update marker, as a real PAdES signature would append bytes.
      const signed = Buffer.concat([Buffer.from((b.file as string[])[0]!, 'base64'), Buffer.from('\n% signed by fake BSrE\n%%EOF\n')]);
      send(200, { file: [signed.toString('base64')], id: 'sig-1' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const signer = (timeoutMs = 2000, secret = CLIENT.secret) => bsreSigner({ baseUrl, clientId: CLIENT.id, clientSecret: secret, timeoutMs });

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).code).toBe('signature_service_failed');
  return err as ApiError;
}

describe('BSrE Esign API v2 adapter', () => {
  it('sends NIK, passphrase and the base64 PDF with basic auth to /api/v2/sign/pdf and returns the signed file', async () => {
    mode = 'ok';
    const out = await signer().sign(PDF, SIGNER);
    expect(seen.path).toBe('/api/v2/sign/pdf');
    expect(seen.body).toMatchObject({ nik: SIGNER.nik, passphrase: SIGNER.passphrase, file: [Buffer.from(PDF).toString('base64')] });
    expect(out.provider).toBe('bsre');
    expect(Buffer.from(out.pdf).toString()).toContain('signed by fake BSrE');
  });

  it('sends a TOTP instead of a passphrase when given one', async () => {
    mode = 'ok';
    await signer().sign(PDF, { nik: SIGNER.nik, totp: '123456' });
    expect(seen.body).toMatchObject({ totp: '123456' });
    expect(seen.body).not.toHaveProperty('passphrase');
  });

  it('a wrong passphrase, wrong client credentials, a timeout, an unreachable host and a non-PDF answer all fail clearly', async () => {
    mode = 'ok';
    expect((await failure(signer().sign(PDF, { ...SIGNER, passphrase: 'salah' }))).message).toContain('Passphrase anda salah');
    expect((await failure(signer(2000, 'wrong').sign(PDF, SIGNER))).message).toContain('401');
    mode = 'slow';
    expect((await failure(signer(100).sign(PDF, SIGNER))).message).toContain('100 ms');
    mode = 'not_pdf';
    await failure(signer().sign(PDF, SIGNER));
    await failure(bsreSigner({ baseUrl: 'http://127.0.0.1:9', clientId: 'x', clientSecret: 'y', timeoutMs: 1000 }).sign(PDF, SIGNER));
    await failure(signer().sign(PDF, { nik: SIGNER.nik }));
  });
});
