/**
 * Signing birth certificates over HTTP and in the engine: re-authentication, register numbers without gaps or
 * duplicates under 20 concurrent signings, the PDF in R2 with its hash and a font for every registered name,
 * the parent's messages with an expiring link, QR and PDF verification, revocation.
 */
import fontkit from '@pdf-lib/fontkit';
import { env } from 'cloudflare:test';
import fontBytes from 'dejavu-fonts-ttf/ttf/DejaVuSerif.ttf';
import { compactVerify, createLocalJWKSet, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCertificateQr, verifyCertificateQr } from '../../schema/birth-qr';
import { b64u } from '../../schema/ktp/bytes';
import { encodeQr } from '../../schema/ktp/qr';
import { sha256Hex } from '../../worker/birth/hash';
import { moveUndeliveredToPickup } from '../../worker/birth/delivery';
import { issueCertificate } from '../../worker/birth/issue';
import * as bdb from '../../worker/db/birth';
import { renderPdf } from '../../worker/documents/pdf';
import type { Env } from '../../worker/env';
import { officeKeys } from '../../worker/keys';
import { createStaff, signIn, STAFF_PASSWORD, type SignedIn } from './helpers/auth';
import { act, caseIn, fo, grantFor, kadis as kadisSession, seedBirthOffice, submission, submit, markAllUploaded, operator, verifier } from './birth-kit';

let kadis: SignedIn;
let kadisId: string;
let op: SignedIn;

beforeAll(async () => {
  await seedBirthOffice();
  const k = await createStaff({ roles: ['head_of_office'] });
  kadisId = k.id;
  kadis = await signIn(k.username, STAFF_PASSWORD);
  op = await signIn((await createStaff({ roles: ['operator'] })).username, STAFF_PASSWORD);
});

async function sign(caseId: string, version: number, password = STAFF_PASSWORD) {
  return kadis.fetch('/api/birth/sign', { method: 'POST', json: { password, cases: [{ id: caseId, version }] } });
}

async function signedViaHttp(childName?: string) {
  const { caseId, r } = await submit(undefined, submission(childName ? { childName, motherNik: `63090141010${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}` } : {}));
  expect(r.status).toBe('applied');
  await markAllUploaded(caseId);
  let v = r.case!.version;
  for (const [a, who] of [['accept', operator], ['record_input', operator], ['request_signature', verifier]] as const) v = (await act(who, caseId, v, a, {})).case!.version;
  const res = await sign(caseId, v);
  expect(res.status).toBe(200);
  const [out] = ((await res.json()) as { results: { status: string; registerNo: string; documentReady: boolean; problem?: unknown }[] }).results;
  expect(out!.status, JSON.stringify(out!.problem)).toBe('applied');
  return { caseId, registerNo: out!.registerNo, documentReady: out!.documentReady };
}

describe('POST /api/birth/sign', () => {
  it('a wrong password signs nothing; other roles may not sign', async () => {
    const { caseId, version } = await caseIn('awaiting_signature');
    const bad = await sign(caseId, version, 'not-my-password');
    expect(bad.status).toBe(403);
    expect(((await bad.json()) as { code: string }).code).toBe('current_password_wrong');
    expect((await op.fetch('/api/birth/sign', { method: 'POST', json: { password: STAFF_PASSWORD, cases: [{ id: caseId, version }] } })).status).toBe(403);
    expect(await bdb.certificatesOfCase(env.DB, caseId)).toEqual([]);
  });

  it('signs, numbers, builds the PDF into R2 and messages the parent with an expiring link', async () => {
    const { caseId, registerNo, documentReady } = await signedViaHttp();
    expect(documentReady).toBe(true);
    expect(registerNo).toMatch(/^6309-LT-\d{8}-\d{4}$/);
    const cert = (await bdb.getCertificate(env.DB, registerNo))!;
    expect(cert.status).toBe('issued');
    expect(cert.signed_by).toBe(`staff:${kadisId}`);
    const stored = await env.FILES.get(cert.r2_key!);
    const pdf = new Uint8Array(await stored!.arrayBuffer());
    expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe('%PDF-');
    expect(await sha256Hex(pdf)).toBe(cert.pdf_sha256);
    // Local TTE: a detached office-key signature over the file's hash, beside the file.
    const { jwks } = await officeKeys(env);
    const sig = await compactVerify(stored!.customMetadata!.signature!, createLocalJWKSet(jwks), { algorithms: ['ES256'] });
    expect(sig.protectedHeader.typ).toBe('document-signature+jws');
    expect(JSON.parse(new TextDecoder().decode(sig.payload))).toEqual({ sha256: cert.pdf_sha256, alg: 'SHA-256' });
    const messages = await env.DB.prepare('SELECT channel, body FROM notifications WHERE case_id = ? AND subject = ? ORDER BY channel').bind(caseId, 'Akta kelahiran sudah terbit').all<{ channel: string; body: string }>();
    expect(messages.results.map((m) => m.channel)).toEqual(['email', 'whatsapp']);
    const link = /https?:\/\/\S+\/api\/documents\/\S+/.exec(messages.results[0]!.body)![0];
    const dl = await op.fetch(link.replace(/^https?:\/\/[^/]+/, ''));
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-type')).toBe('application/pdf');
    expect(await sha256Hex(new Uint8Array(await dl.arrayBuffer()))).toBe(cert.pdf_sha256);
    const forged = link.replace(/\/api\/documents\/(.+)\.(.+)\.(.+)$/, (_m, h, p, s) => `/api/documents/${h}.${p}.${s.slice(0, -4)}AAAA`);
    expect((await op.fetch(forged.replace(/^https?:\/\/[^/]+/, ''))).status).toBe(403);
  });

  it('finishing twice changes nothing and sends no second message', async () => {
    const { caseId, registerNo } = await signedViaHttp();
    const before = (await bdb.getCertificate(env.DB, registerNo))!;
    await issueCertificate(env as unknown as Env, registerNo);
    expect((await bdb.getCertificate(env.DB, registerNo))!.pdf_sha256).toBe(before.pdf_sha256);
    const n = await env.DB.prepare('SELECT count(*) AS n FROM notifications WHERE case_id = ? AND subject = ?').bind(caseId, 'Akta kelahiran sudah terbit').first<{ n: number }>();
    expect(n!.n).toBe(2);
  });
});

describe('register numbers', () => {
  it('20 concurrent signings get 20 consecutive numbers: no gap, no duplicate', async () => {
    const cases: { caseId: string; version: number }[] = [];
    for (let i = 0; i < 20; i++) cases.push(await caseIn('awaiting_signature'));
    const day = await env.DB.prepare("SELECT day, last FROM birth_register_counters WHERE office_code = '63.09' ORDER BY day DESC LIMIT 1").first<{ day: string; last: number }>();
    const startAt = day?.last ?? 0;
    const grant = await grantFor(kadisSession);
    // All 20 at once. A signing whose batch fails (today the engine gives up after 5 audit-chain races) rolls its
    // number back; it is retried like a client would, and the numbers must still run without a gap.
    let pending = cases;
    for (let round = 0; pending.length && round < 10; round++) {
      const outcome = await Promise.all(pending.map((c) => act(kadisSession, c.caseId, c.version, 'sign', { grant }).then((r) => r.status, () => 'failed')));
      pending = pending.filter((_, i) => outcome[i] !== 'applied');
    }
    expect(pending).toEqual([]);
    const numbers = (await Promise.all(cases.map((c) => bdb.certificatesOfCase(env.DB, c.caseId)))).map((l) => l[0]!.register_no);
    const seqs = numbers.map((n) => Number(n.slice(-4))).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(20);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => startAt + 1 + i));
  }, 60_000);

  it('two heads of office each sign a batch over HTTP at the same moment after their own password check: every case signed, numbers consecutive; a stale case fails alone', async () => {
    const second = await signIn((await createStaff({ roles: ['head_of_office'] })).username, STAFF_PASSWORD);
    const batchA: { caseId: string; version: number }[] = [];
    const batchB: { caseId: string; version: number }[] = [];
    for (let i = 0; i < 4; i++) batchA.push(await caseIn('awaiting_signature'));
    for (let i = 0; i < 4; i++) batchB.push(await caseIn('awaiting_signature'));
    const before = await env.DB.prepare("SELECT coalesce(max(last), 0) AS last FROM birth_register_counters WHERE office_code = '63.09'").first<{ last: number }>();
    // The first batch also names a case at a version it no longer has (another device moved it): only that one fails.
    const stale = await caseIn('awaiting_signature');
    const body = (list: { caseId: string; version: number }[]) => ({ password: STAFF_PASSWORD, cases: list.map((c) => ({ id: c.caseId, version: c.version })) });
    // At the same moment: both requests build PDFs and write R2 side by side in one isolate (fontkit's shared
    // nextTick queue once made one request's font subset finish inside the other; see render.ts encodeInOwnTask).
    const [ra, rb] = await Promise.all([
      kadis.fetch('/api/birth/sign', { method: 'POST', json: { ...body(batchA), cases: [...body(batchA).cases, { id: stale.caseId, version: stale.version - 1 }] } }),
      second.fetch('/api/birth/sign', { method: 'POST', json: body(batchB) }),
    ]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    type Out = { caseId: string; status: string; registerNo?: string; documentReady?: boolean };
    const outA = ((await ra.json()) as { results: Out[] }).results;
    const outB = ((await rb.json()) as { results: Out[] }).results;
    expect(outA.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'conflict']);
    expect(outB.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect([...outA, ...outB].filter((r) => r.status === 'applied').every((r) => r.documentReady)).toBe(true);
    const seqs = [...outA, ...outB].flatMap((r) => (r.registerNo ? [Number(r.registerNo.slice(-4))] : [])).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 8 }, (_, i) => before!.last + 1 + i));
    expect(await bdb.certificatesOfCase(env.DB, stale.caseId)).toEqual([]);
    // Each case names its signer: the head of office who re-entered the password for that batch.
    const signers = await Promise.all([...batchA, ...batchB].map(async (c) => (await bdb.certificatesOfCase(env.DB, c.caseId))[0]!.signed_by));
    expect(new Set(signers.slice(0, 4)).size).toBe(1);
    expect(new Set(signers.slice(4)).size).toBe(1);
    expect(signers[0]).toBe(`staff:${kadisId}`);
    expect(signers[4]).not.toBe(signers[0]);
  }, 120_000);

  it('a signing that loses its race uses no number', async () => {
    const c = await caseIn('awaiting_signature');
    const before = await env.DB.prepare("SELECT coalesce(max(last), 0) AS last FROM birth_register_counters WHERE office_code = '63.09'").first<{ last: number }>();
    const [a, b] = await Promise.all([act(kadisSession, c.caseId, c.version, 'sign', { grant: await grantFor(kadisSession) }), act(kadisSession, c.caseId, c.version, 'sign', { grant: await grantFor(kadisSession) })]);
    expect([a.status, b.status].sort()).toEqual(['applied', 'conflict']);
    const after = await env.DB.prepare("SELECT coalesce(max(last), 0) AS last FROM birth_register_counters WHERE office_code = '63.09'").first<{ last: number }>();
    expect(after!.last).toBe(before!.last + 1);
  });
});

describe('the document: a font for every registered name, a compact QR', () => {
  it('DejaVu Serif has a glyph for every letter of names with apostrophes, hyphens and diacritics', async () => {
    const names = ["Nur'aini Siti-Ḥasanah", 'Ni Luh Putu Ayu Çandrawati', 'Şükrü Ōtsuka-Ñúñez', 'Muhammad ‘Abdul’ Aziz', 'Thérèse Ægidius Łukasz Žofia'];
    const font = fontkit.create(new Uint8Array(fontBytes));
    for (const n of names) for (const ch of n) expect(font.hasGlyphForCodePoint(ch.codePointAt(0)!), `${n}: ${ch}`).toBe(true);
    const pdf = await renderPdf({ title: 'uji', subject: 'uji', blocks: names.map((text) => ({ text })), createdAt: new Date(0) });
    expect(pdf.length).toBeGreaterThan(1000);
  });

  it('the QR fits version 10 at level M even with a long name, and verifies against the office keys', async () => {
    const long = 'Raden Ajeng Kartika Ḥasanah Putri Nur’aini Siti-Aminah Çandrawati Wulandari';
    const { registerNo } = await signedViaHttp(long);
    const cert = (await bdb.getCertificate(env.DB, registerNo))!;
    const bytes = b64u.decode(cert.qr!);
    expect(encodeQr(bytes, 40).version).toBeLessThanOrEqual(10);
    const { jwks } = await officeKeys(env);
    const check = await verifyCertificateQr(bytes, { keys: jwks });
    expect(check).toMatchObject({ status: 'valid', registerNo });
    expect(decodeCertificateQr(bytes).claims.docHash).toBe(cert.content_hash!.slice(0, 32));
    const tampered = bytes.slice();
    tampered[20] = tampered[20]! ^ 1;
    expect((await verifyCertificateQr(tampered, { keys: jwks })).status).toMatch(/tampered|malformed/);
  });
});

describe('public verification and revocation', () => {
  it('the online check accepts the QR, the PDF and refuses a PDF with one changed byte; revoked verifies as revoked', async () => {
    const { caseId, registerNo } = await signedViaHttp();
    const cert = (await bdb.getCertificate(env.DB, registerNo))!;
    const pdf = new Uint8Array(await (await env.FILES.get(cert.r2_key!))!.arrayBuffer());
    const anon = (path: string, init: RequestInit) => op.fetch(path, { ...init, cookie: undefined } as never);
    const ok = (await (await anon('/api/birth/verify-pdf', { method: 'POST', body: pdf, headers: { 'content-type': 'application/pdf' } })).json()) as { match: boolean; certificate: { status: string; registerNo: string } };
    expect(ok).toMatchObject({ match: true, certificate: { status: 'valid', registerNo } });
    const changed = pdf.slice();
    const mid = Math.floor(changed.length / 2);
    changed[mid] = changed[mid]! ^ 0x01;
    const bad = (await (await anon('/api/birth/verify-pdf', { method: 'POST', body: changed, headers: { 'content-type': 'application/pdf' } })).json()) as { match: boolean };
    expect(bad.match).toBe(false);
    const online = (await (await anon('/api/birth/verify', { method: 'POST', json: { qr: cert.qr } } as never)).json()) as { status: string };
    expect(online.status).toBe('valid');

    const row = await env.DB.prepare('SELECT version FROM cases WHERE id = ?').bind(caseId).first<{ version: number }>();
    expect((await act(kadisSession, caseId, row!.version, 'revoke', { reason: 'Nama ibu salah' })).status).toBe('applied');
    const after = (await (await anon('/api/birth/verify', { method: 'POST', json: { qr: cert.qr } } as never)).json()) as { status: string; revokeReason: string };
    expect(after).toMatchObject({ status: 'revoked', revokeReason: 'Nama ibu salah' });
    const pdfAfter = (await (await anon('/api/birth/verify-pdf', { method: 'POST', body: pdf } as never)).json()) as { certificate: { status: string } };
    expect(pdfAfter.certificate.status).toBe('revoked');

    // The offline checker's list: signed by the office, naming the revoked number; the QR checks as revoked with it.
    const { token } = (await (await anon('/api/birth/revocations/63.09', {})).json()) as { token: string };
    const { jwks } = await officeKeys(env);
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { typ: 'birth-crl+jwt', audience: 'loket:birth-crl', algorithms: ['ES256'] });
    expect(payload.revoked).toContain(registerNo);
    const offline = await verifyCertificateQr(b64u.decode(cert.qr!), { keys: jwks, revoked: { officeCode: '63.09', revoked: payload.revoked as string[], issuedAt: payload.iat! * 1000 } });
    expect(offline.status).toBe('revoked');
  });
});

describe('delivery (seed 002 steps 7–8)', () => {
  it('when every message to the parent failed for good the case moves to the drive-thru queue; one sent message is enough to stay', async () => {
    const failed = await signedViaHttp();
    const half = await signedViaHttp();
    await env.DB.prepare("UPDATE notifications SET status = 'dead', last_error = 'whatsapp 400' WHERE case_id = ? AND subject = ?").bind(failed.caseId, 'Akta kelahiran sudah terbit').run();
    await env.DB.prepare("UPDATE notifications SET status = CASE channel WHEN 'email' THEN 'sent' ELSE 'dead' END WHERE case_id = ? AND subject = ?").bind(half.caseId, 'Akta kelahiran sudah terbit').run();
    expect(await moveUndeliveredToPickup(env as unknown as Env)).toBeGreaterThanOrEqual(1);
    const state = async (id: string) => (await env.DB.prepare('SELECT state FROM cases WHERE id = ?').bind(id).first<{ state: string }>())!.state;
    expect(await state(failed.caseId)).toBe('pickup');
    expect(await state(half.caseId)).toBe('signed');
    const step = await env.DB.prepare("SELECT actor_id, input_json FROM case_steps WHERE case_id = ? AND action = 'to_pickup'").bind(failed.caseId).first<{ actor_id: string; input_json: string }>();
    expect(step!.actor_id).toBe('staff:system');
    expect(step!.input_json).toContain('whatsapp 400');
    // The front office hands it over at the drive-thru: the case closes (step 9).
    const row = await env.DB.prepare('SELECT version FROM cases WHERE id = ?').bind(failed.caseId).first<{ version: number }>();
    expect((await act(fo, failed.caseId, row!.version, 'hand_over', {})).case?.state).toBe('received');
  });
});
