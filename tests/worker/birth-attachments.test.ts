/** Attachment uploads into R2 over HTTP: content checked by magic bytes, size limit, declared hash, retries, who may read. */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuid7 } from '../../schema/ids';
import { ATTACHMENT_MAX_BYTES } from '../../schema/workflows/birth';
import { sha256Hex } from '../../worker/birth/hash';
import { type ApiInit, createStaff, signIn, STAFF_PASSWORD, type SignedIn } from './helpers/auth';
import { PARTNER_A, PARTNER_B, seedBirthOffice, submission, signedInClerk } from './birth-kit';

let clerkA: SignedIn;
let clerkB: SignedIn;
let operator: SignedIn;

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 1, 2, 3, 4, 5, 6, 7, 8]);
const PDF = new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
/** A Windows executable's first bytes ("MZ" header), to be sent under a photo's name. */
const EXE = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00]);

/** A case of clerk A declaring the given files as a JPEG photo / PDF, pushed through sync; returns the attachment ids. */
async function caseDeclaring(files: { bytes: Uint8Array; contentType: 'image/jpeg' | 'application/pdf'; size?: number }[]) {
  const refs = await Promise.all(files.map(async (f, i) => ({ id: uuid7(), requirement: ['surat_lahir', 'buku_nikah', 'kk'][i % 3]!, contentType: f.contentType, size: f.size ?? f.bytes.byteLength, sha256: await sha256Hex(f.bytes) })));
  const caseId = uuid7();
  const res = await clerkA.fetch('/api/sync/push', { method: 'POST', json: { commands: [{ id: uuid7(), type: 'create', caseId, service: 'birth', input: submission({ attachments: refs, motherNik: `63090141010${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}` }) }] } });
  const [r] = ((await res.json()) as { results: { status: string; problem?: unknown }[] }).results;
  expect(r!.status, JSON.stringify(r!.problem)).toBe('applied');
  return { caseId, ids: refs.map((r) => r.id) };
}

const upload = (who: SignedIn, id: string, bytes: Uint8Array, type = 'image/jpeg') =>
  who.fetch(`/api/birth/attachments/${id}`, { method: 'PUT', body: bytes, headers: { 'content-type': type } });

beforeAll(async () => {
  await seedBirthOffice();
  clerkA = await signedInClerk(PARTNER_A);
  clerkB = await signedInClerk(PARTNER_B);
  operator = await signIn((await createStaff({ roles: ['operator'] })).username, STAFF_PASSWORD);
});

describe('PUT /api/birth/attachments/{id}', () => {
  it('stores a declared JPEG and a PDF in R2 with their SHA-256; a retry answers the same', async () => {
    const { caseId, ids } = await caseDeclaring([{ bytes: JPEG, contentType: 'image/jpeg' }, { bytes: PDF, contentType: 'application/pdf' }]);
    const r1 = await upload(clerkA, ids[0]!, JPEG);
    expect(r1.status).toBe(200);
    expect(((await r1.json()) as { sha256: string }).sha256).toBe(await sha256Hex(JPEG));
    expect((await upload(clerkA, ids[1]!, PDF, 'application/pdf')).status).toBe(200);
    expect((await upload(clerkA, ids[0]!, JPEG)).status).toBe(200);
    const obj = await env.FILES.get(`birth/63.09/${caseId}/${ids[0]}`);
    expect(new Uint8Array(await obj!.arrayBuffer())).toEqual(JPEG);
    expect(obj!.customMetadata?.sha256).toBe(await sha256Hex(JPEG));
    const back = await operator.fetch(`/api/birth/attachments/${ids[1]}`);
    expect(back.headers.get('content-type')).toBe('application/pdf');
    expect(back.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await back.arrayBuffer())).toEqual(PDF);
  });

  it('an .exe sent as a photo is refused by its content: attachment_type_refused, nothing stored', async () => {
    const { ids } = await caseDeclaring([{ bytes: EXE, contentType: 'image/jpeg' }]);
    const res = await clerkA.fetch(`/api/birth/attachments/${ids[0]}`, { method: 'PUT', body: EXE, headers: { 'content-type': 'image/jpeg', 'x-file-name': 'foto-kk.jpg' } });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as { code: string }).code).toBe('attachment_type_refused');
    const row = await env.DB.prepare('SELECT uploaded_at FROM birth_attachments WHERE id = ?').bind(ids[0]).first<{ uploaded_at: number | null }>();
    expect(row!.uploaded_at).toBeNull();
  });

  it('a 50 MB file is refused as attachment_too_large, also when streamed without a Content-Length', async () => {
    const { ids } = await caseDeclaring([{ bytes: JPEG, contentType: 'image/jpeg' }]);
    const big = new Uint8Array(50 * 1024 * 1024);
    big.set(JPEG);
    const res = await upload(clerkA, ids[0]!, big);
    expect(res.status).toBe(413);
    const body = (await res.json()) as { code: string; maxBytes: number };
    expect(body.code).toBe('attachment_too_large');
    expect(body.maxBytes).toBe(ATTACHMENT_MAX_BYTES);
    // Streamed without a Content-Length: counted while reading.
    const stream = new ReadableStream<Uint8Array>({
      start(ctrl) {
        for (let i = 0; i < 6; i++) ctrl.enqueue(new Uint8Array(1024 * 1024));
        ctrl.close();
      },
    });
    const chunked = await clerkA.fetch(`/api/birth/attachments/${ids[0]}`, { method: 'PUT', body: stream, headers: { 'content-type': 'image/jpeg' }, duplex: 'half' } as ApiInit);
    expect(chunked.status).toBe(413);
  });

  it('a file other than the declared one (bytes changed) is refused as attachment_mismatch', async () => {
    const { ids } = await caseDeclaring([{ bytes: JPEG, contentType: 'image/jpeg' }]);
    const changed = JPEG.slice();
    changed[15] = 0x99;
    const res = await upload(clerkA, ids[0]!, changed);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { code: string }).code).toBe('attachment_mismatch');
  });

  it("another partner's clerk can neither upload nor read the file; office staff cannot upload", async () => {
    const { ids } = await caseDeclaring([{ bytes: JPEG, contentType: 'image/jpeg' }]);
    const b = await upload(clerkB, ids[0]!, JPEG);
    expect(b.status).toBe(404);
    expect(((await b.json()) as { code: string }).code).toBe('attachment_not_found');
    expect((await upload(operator, ids[0]!, JPEG)).status).toBe(403);
    await upload(clerkA, ids[0]!, JPEG);
    expect((await clerkB.fetch(`/api/birth/attachments/${ids[0]}`)).status).toBe(404);
    expect((await clerkA.fetch(`/api/birth/attachments/${ids[0]}`)).status).toBe(200);
    expect((await upload(clerkA, uuid7(), JPEG)).status).toBe(404);
  });

  it('once every file is uploaded the operator can accept the case', async () => {
    const files = [{ bytes: JPEG, contentType: 'image/jpeg' as const }, { bytes: PDF, contentType: 'application/pdf' as const }, { bytes: JPEG.slice(0, 19), contentType: 'image/jpeg' as const }];
    const { caseId, ids } = await caseDeclaring(files);
    const push = (action: string) => operator.fetch('/api/sync/push', { method: 'POST', json: { commands: [{ id: uuid7(), type: 'action', caseId, action, baseVersion: 1, input: {} }] } });
    const early = ((await (await push('accept')).json()) as { results: { problem?: { code: string } }[] }).results[0]!;
    expect(early.problem?.code).toBe('birth_attachments_pending');
    for (const [i, f] of files.entries()) expect((await upload(clerkA, ids[i]!, f.bytes, f.contentType)).status).toBe(200);
    const done = ((await (await push('accept')).json()) as { results: { status: string }[] }).results[0]!;
    expect(done.status).toBe('applied');
  });
});
