/**
 * Attachments in parts (issue 10: "an upload that fails resumes"): parts in any order, the server naming the parts it
 * has so a cut upload resumes from there, content checked on the first part and on the whole file, size limits,
 * problem+json for every refusal, and another partner's clerk or office staff refused.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuid7 } from '../../schema/ids';
import { ATTACHMENT_PART_BYTES, partCount } from '../../schema/workflows/birth';
import { sha256Hex } from '../../worker/birth/hash';
import { createStaff, signIn, STAFF_PASSWORD, type SignedIn } from './helpers/auth';
import { PARTNER_A, PARTNER_B, seedBirthOffice, submission, signedInClerk } from './birth-kit';

let clerkA: SignedIn;
let clerkB: SignedIn;
let operator: SignedIn;

/** A JPEG-headed file of `size` bytes with varied content (so a part in the wrong place changes the hash). */
function jpegOf(size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) b[i] = (i * 7919 + (i >> 8)) & 0xff;
  b.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46], 0);
  return b;
}
const EXE_HEAD = [0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00];
const PDF_HEAD = [...new TextEncoder().encode('%PDF-1.7\n')];

/** A case of clerk A declaring one JPEG file; returns its attachment id and case id. */
async function declared(bytes: Uint8Array): Promise<{ id: string; caseId: string }> {
  const ref = { id: uuid7(), requirement: 'surat_lahir', contentType: 'image/jpeg' as const, size: bytes.byteLength, sha256: await sha256Hex(bytes) };
  const caseId = uuid7();
  const res = await clerkA.fetch('/api/sync/push', {
    method: 'POST',
    json: { commands: [{ id: uuid7(), type: 'create', caseId, service: 'birth', input: submission({ attachments: [ref], motherNik: `63090141020${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}` }) }] },
  });
  const [r] = ((await res.json()) as { results: { status: string; problem?: unknown }[] }).results;
  expect(r!.status, JSON.stringify(r!.problem)).toBe('applied');
  return { id: ref.id, caseId };
}

const partOf = (file: Uint8Array, n: number) => file.slice(n * ATTACHMENT_PART_BYTES, (n + 1) * ATTACHMENT_PART_BYTES);
const putPart = (who: SignedIn, id: string, n: number, bytes: Uint8Array) =>
  who.fetch(`/api/birth/attachments/${id}/parts/${n}`, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
const complete = (who: SignedIn, id: string) => who.fetch(`/api/birth/attachments/${id}/complete`, { method: 'POST' });
const state = async (who: SignedIn, id: string) => (await (await who.fetch(`/api/birth/attachments/${id}/parts`)).json()) as { received: number[]; partCount: number; partBytes: number; uploaded: boolean };

async function expectProblem(res: Response, status: number, code: string): Promise<Record<string, unknown>> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = (await res.json()) as Record<string, unknown>;
  expect(body.code).toBe(code);
  return body;
}

const partRows = async (id: string) => (await env.DB.prepare('SELECT part_no FROM birth_upload_parts WHERE attachment_id = ? ORDER BY part_no').bind(id).all<{ part_no: number }>()).results.map((r) => r.part_no);
const partObjects = async (id: string) => (await env.FILES.list({ prefix: `birth-parts/${id}/` })).objects.map((o) => o.key);

beforeAll(async () => {
  await seedBirthOffice();
  clerkA = await signedInClerk(PARTNER_A);
  clerkB = await signedInClerk(PARTNER_B);
  operator = await signIn((await createStaff({ roles: ['operator'] })).username, STAFF_PASSWORD);
});

describe('chunked upload of an attachment', () => {
  it('parts sent out of order make the file: stored once with its SHA-256, the parts removed, retries answer the same', async () => {
    const file = jpegOf(2 * ATTACHMENT_PART_BYTES + 70_001);
    const { id, caseId } = await declared(file);
    expect(await state(clerkA, id)).toEqual({ id, partBytes: ATTACHMENT_PART_BYTES, partCount: 3, received: [], uploaded: false });
    for (const n of [2, 0, 1]) expect((await putPart(clerkA, id, n, partOf(file, n))).status).toBe(200);
    expect((await state(clerkA, id)).received).toEqual([0, 1, 2]);

    const done = await complete(clerkA, id);
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ id, sha256: await sha256Hex(file), size: file.byteLength, contentType: 'image/jpeg' });
    const obj = await env.FILES.get(`birth/63.09/${caseId}/${id}`);
    expect(new Uint8Array(await obj!.arrayBuffer())).toEqual(file);
    expect(await partRows(id)).toEqual([]);
    expect(await partObjects(id)).toEqual([]);

    // A lost answer: the device completes again, or resends a part: the file is there.
    expect((await complete(clerkA, id)).status).toBe(200);
    const again = await putPart(clerkA, id, 1, partOf(file, 1));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ uploaded: true, received: [] });
    expect((await env.DB.prepare('SELECT uploaded_at FROM birth_attachments WHERE id = ?').bind(id).first<{ uploaded_at: number | null }>())!.uploaded_at).not.toBeNull();
    // The office reads the whole file back.
    expect(new Uint8Array(await (await operator.fetch(`/api/birth/attachments/${id}`)).arrayBuffer())).toEqual(file);
  });

  it('a part lost to a cut connection: completion names it, the server says what it has, only that part is resent', async () => {
    const file = jpegOf(3 * ATTACHMENT_PART_BYTES + 5);
    const { id } = await declared(file);
    expect(partCount(file.byteLength)).toBe(4);
    await putPart(clerkA, id, 0, partOf(file, 0));
    // Part 1 is cut mid-body: the server got fewer bytes than the part has and keeps nothing of it.
    await expectProblem(await putPart(clerkA, id, 1, partOf(file, 1).slice(0, 100_000)), 422, 'upload_part_invalid');
    await putPart(clerkA, id, 3, partOf(file, 3));
    await putPart(clerkA, id, 2, partOf(file, 2));
    const missing = await expectProblem(await complete(clerkA, id), 409, 'upload_parts_missing');
    expect(missing.missing).toEqual([1]);
    // After the network returns, the device asks and sends only what is missing.
    const { received } = await state(clerkA, id);
    expect(received).toEqual([0, 2, 3]);
    for (let n = 0; n < 4; n += 1) if (!received.includes(n)) expect((await putPart(clerkA, id, n, partOf(file, n))).status).toBe(200);
    expect((await complete(clerkA, id)).status).toBe(200);
  });

  it('a resent part replaces the earlier copy; parts that do not make the declared file are dropped and the upload starts over', async () => {
    const file = jpegOf(ATTACHMENT_PART_BYTES + 10);
    const { id } = await declared(file);
    const wrong = partOf(file, 1);
    wrong[3] = wrong[3]! ^ 0xff;
    await putPart(clerkA, id, 0, partOf(file, 0));
    await putPart(clerkA, id, 1, wrong);
    await expectProblem(await complete(clerkA, id), 422, 'attachment_mismatch');
    expect(await state(clerkA, id)).toMatchObject({ received: [], uploaded: false });
    expect(await partObjects(id)).toEqual([]);
    await putPart(clerkA, id, 1, wrong);
    await putPart(clerkA, id, 1, partOf(file, 1)); // the good copy replaces the bad one
    await putPart(clerkA, id, 0, partOf(file, 0));
    expect((await complete(clerkA, id)).status).toBe(200);
  });

  it('the type is checked by content on the first part: an .exe renamed .jpg or a PDF declared as a photo stop there', async () => {
    const file = jpegOf(ATTACHMENT_PART_BYTES + 10);
    const { id } = await declared(file);
    const exe = partOf(file, 0);
    exe.set(EXE_HEAD, 0);
    await expectProblem(await putPart(clerkA, id, 0, exe), 415, 'attachment_type_refused');
    const pdf = partOf(file, 0);
    pdf.set(PDF_HEAD, 0);
    const mismatch = await expectProblem(await putPart(clerkA, id, 0, pdf), 422, 'attachment_mismatch');
    expect(mismatch.declared).toMatchObject({ contentType: 'image/jpeg' });
    expect(await partRows(id)).toEqual([]);
    expect(await partObjects(id)).toEqual([]);
  });

  it('too large: a part longer than its place in the file, or a declared size over the limit; no such part number', async () => {
    const file = jpegOf(ATTACHMENT_PART_BYTES + 10);
    const { id } = await declared(file);
    const long = new Uint8Array(ATTACHMENT_PART_BYTES + 1);
    long.set(partOf(file, 0), 0);
    await expectProblem(await putPart(clerkA, id, 0, long), 413, 'attachment_too_large');
    await expectProblem(await putPart(clerkA, id, 1, new Uint8Array(11)), 413, 'attachment_too_large'); // the last part is 10 bytes
    await expectProblem(await putPart(clerkA, id, 2, new Uint8Array(10)), 422, 'upload_part_invalid');
    await expectProblem(await clerkA.fetch(`/api/birth/attachments/${id}/parts/x`, { method: 'PUT', body: new Uint8Array(1) }), 422, 'validation_failed');
    // A 50 MB file cannot even be declared: the case is refused before any part is sent.
    const res = await clerkA.fetch('/api/sync/push', {
      method: 'POST',
      json: { commands: [{ id: uuid7(), type: 'create', caseId: uuid7(), service: 'birth', input: submission({ attachments: [{ id: uuid7(), requirement: 'kk', contentType: 'image/jpeg', size: 50 * 1024 * 1024, sha256: 'a'.repeat(64) }] }) }] },
    });
    const [r] = ((await res.json()) as { results: { status: string; problem?: { code: string } }[] }).results;
    expect([r!.status, r!.problem?.code]).toEqual(['rejected', 'validation_failed']);
  });

  it("another partner's clerk and office staff cannot send, see or complete the parts", async () => {
    const file = jpegOf(ATTACHMENT_PART_BYTES + 10);
    const { id } = await declared(file);
    await putPart(clerkA, id, 0, partOf(file, 0));
    await expectProblem(await putPart(clerkB, id, 1, partOf(file, 1)), 404, 'attachment_not_found');
    await expectProblem(await clerkB.fetch(`/api/birth/attachments/${id}/parts`), 404, 'attachment_not_found');
    await expectProblem(await complete(clerkB, id), 404, 'attachment_not_found');
    await expectProblem(await putPart(operator, id, 1, partOf(file, 1)), 403, 'forbidden_role');
    await expectProblem(await complete(operator, id), 403, 'forbidden_role');
    expect(await partRows(id)).toEqual([0]);
    const other = await createStaff({ roles: ['partner_operator'], officeCode: '15.71' });
    const outsider = await signIn(other.username, STAFF_PASSWORD);
    await expectProblem(await putPart(outsider, id, 1, partOf(file, 1)), 404, 'attachment_not_found');
  });
});
