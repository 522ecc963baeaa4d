/**
 * Abandoned chunked uploads (issue 10 leftover): the hourly housekeeping deletes the R2 parts and the part rows of
 * uploads nothing arrived for in KEEP.abandonedUploadMs, at most UPLOAD_SWEEP_BATCH files a run, and never a
 * completed file or an upload still moving. A device that resumes a swept upload is told it holds no parts and
 * sends the file again from the start; one whose parts vanished under it is told which to send again; never a 5xx.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuid7 } from '../../schema/ids';
import { ATTACHMENT_PART_BYTES } from '../../schema/workflows/birth';
import { sha256Hex } from '../../worker/birth/hash';
import { KEEP, sweepAbandonedUploads, UPLOAD_SWEEP_BATCH } from '../../worker/housekeeping';
import { type SignedIn } from './helpers/auth';
import { PARTNER_A, seedBirthOffice, submission, signedInClerk } from './birth-kit';

let clerk: SignedIn;
const DAY = 86_400_000;

/** A JPEG-headed file of `size` bytes with varied content. */
function jpegOf(size: number, seed: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) b[i] = (i * 7919 + seed * 31 + (i >> 8)) & 0xff;
  b.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46], 0);
  return b;
}

/** One case of the clerk declaring `files`; answers their attachment ids in order. */
async function declared(files: Uint8Array[]): Promise<string[]> {
  const refs = await Promise.all(files.map(async (bytes) => ({ id: uuid7(), requirement: 'surat_lahir', contentType: 'image/jpeg' as const, size: bytes.byteLength, sha256: await sha256Hex(bytes) })));
  const res = await clerk.fetch('/api/sync/push', {
    method: 'POST',
    json: { commands: [{ id: uuid7(), type: 'create', caseId: uuid7(), service: 'birth', input: submission({ attachments: refs, motherNik: `63090141030${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}` }) }] },
  });
  const [r] = ((await res.json()) as { results: { status: string; problem?: unknown }[] }).results;
  expect(r!.status, JSON.stringify(r!.problem)).toBe('applied');
  return refs.map((r) => r.id);
}

const partOf = (file: Uint8Array, n: number) => file.slice(n * ATTACHMENT_PART_BYTES, (n + 1) * ATTACHMENT_PART_BYTES);
async function putPart(id: string, file: Uint8Array, n: number): Promise<void> {
  const res = await clerk.fetch(`/api/birth/attachments/${id}/parts/${n}`, { method: 'PUT', body: partOf(file, n), headers: { 'content-type': 'application/octet-stream' } });
  expect(res.status, await res.clone().text()).toBe(200);
}
const complete = (id: string) => clerk.fetch(`/api/birth/attachments/${id}/complete`, { method: 'POST' });
const partsState = async (id: string) => {
  const res = await clerk.fetch(`/api/birth/attachments/${id}/parts`);
  expect(res.status).toBe(200);
  return (await res.json()) as { received: number[]; uploaded: boolean; partCount: number };
};
const partRows = async (id: string) => (await env.DB.prepare('SELECT part_no FROM birth_upload_parts WHERE attachment_id = ? ORDER BY part_no').bind(id).all<{ part_no: number }>()).results.map((r) => r.part_no);
const partObjects = async (id: string) => (await env.FILES.list({ prefix: `birth-parts/${id}/` })).objects.map((o) => o.key).sort();
/** The parts' last arrival moved into the past, as if the device had gone quiet `days` ago. */
const ageParts = (id: string, days: number, partNo?: number) =>
  env.DB.prepare(`UPDATE birth_upload_parts SET received_at = ? WHERE attachment_id = ?${partNo === undefined ? '' : ' AND part_no = ?'}`)
    .bind(Date.now() - days * DAY, id, ...(partNo === undefined ? [] : [partNo]))
    .run();

beforeAll(async () => {
  await seedBirthOffice();
  clerk = await signedInClerk(PARTNER_A);
});

describe('sweeping abandoned uploads', () => {
  it('an upload quiet for longer than the limit loses its parts; a recent one, one still moving and a completed file stay', async () => {
    const size = 2 * ATTACHMENT_PART_BYTES + 5_000; // three parts
    const files = [1, 2, 3, 4].map((seed) => jpegOf(size, seed));
    const [abandoned, recent, moving, completed] = await declared(files);

    await putPart(abandoned!, files[0]!, 0);
    await putPart(abandoned!, files[0]!, 1);
    await ageParts(abandoned!, 8);
    await putPart(recent!, files[1]!, 0);
    await ageParts(recent!, 6); // within the limit: the device may still come back
    await putPart(moving!, files[2]!, 0);
    await putPart(moving!, files[2]!, 1);
    await ageParts(moving!, 30, 0); // its first part is old, but another arrived just now
    for (const n of [0, 1, 2]) await putPart(completed!, files[3]!, n);
    expect((await complete(completed!)).status).toBe(200);
    // A completion that stopped before it forgot its parts (left over, old): they go; the file does not.
    await env.DB.prepare('INSERT INTO birth_upload_parts (attachment_id, part_no, size, r2_key, received_at) VALUES (?, 0, 10, ?, ?)').bind(completed!, `birth-parts/${completed!}/0`, Date.now() - 9 * DAY).run();
    await env.FILES.put(`birth-parts/${completed!}/0`, new Uint8Array(10));
    const fileRow = await env.DB.prepare('SELECT uploaded_at, r2_key, sha256 FROM birth_attachments WHERE id = ?').bind(completed!).first<{ uploaded_at: number; r2_key: string; sha256: string }>();
    expect(fileRow!.uploaded_at).toBeGreaterThan(0);

    expect(await partObjects(abandoned!)).toHaveLength(2);
    const report = await sweepAbandonedUploads(env, Date.now());
    expect(report).toEqual({ uploads: 2, parts: 3 });

    expect(await partRows(abandoned!)).toEqual([]);
    expect(await partObjects(abandoned!)).toEqual([]);
    // The attachment itself is the case's: it stays, waiting for its bytes.
    expect(await env.DB.prepare('SELECT uploaded_at FROM birth_attachments WHERE id = ?').bind(abandoned!).first()).toEqual({ uploaded_at: null });
    expect(await partRows(recent!)).toEqual([0]);
    expect(await partObjects(recent!)).toHaveLength(1);
    expect(await partRows(moving!)).toEqual([0, 1]);
    expect(await partObjects(moving!)).toHaveLength(2);
    expect(await partRows(completed!)).toEqual([]);
    expect(await env.DB.prepare('SELECT uploaded_at, r2_key, sha256 FROM birth_attachments WHERE id = ?').bind(completed!).first()).toEqual(fileRow);
    const stored = await env.FILES.get(fileRow!.r2_key);
    expect(await sha256Hex(new Uint8Array(await stored!.arrayBuffer()))).toBe(fileRow!.sha256);

    // Nothing more to do on the next run.
    expect(await sweepAbandonedUploads(env, Date.now())).toEqual({ uploads: 0, parts: 0 });
  });

  it(`at most ${UPLOAD_SWEEP_BATCH} files a run; the rest on the next`, async () => {
    const files = Array.from({ length: UPLOAD_SWEEP_BATCH + 3 }, (_, i) => jpegOf(ATTACHMENT_PART_BYTES + 100, 100 + i));
    const ids: string[] = [];
    for (let i = 0; i < files.length; i += 20) ids.push(...(await declared(files.slice(i, i + 20))));
    const old = Date.now() - KEEP.abandonedUploadMs - 60_000;
    await env.DB.prepare(
      `INSERT INTO birth_upload_parts (attachment_id, part_no, size, r2_key, received_at) SELECT value, 0, 100, 'birth-parts/' || value || '/0', ? FROM json_each(?)`,
    ).bind(old, JSON.stringify(ids)).run();
    for (const id of ids) await env.FILES.put(`birth-parts/${id}/0`, new Uint8Array(100));
    expect(await sweepAbandonedUploads(env, Date.now())).toEqual({ uploads: UPLOAD_SWEEP_BATCH, parts: UPLOAD_SWEEP_BATCH });
    expect(await sweepAbandonedUploads(env, Date.now())).toEqual({ uploads: 3, parts: 3 });
    const left = await env.DB.prepare('SELECT count(*) AS n FROM birth_upload_parts WHERE attachment_id IN (SELECT value FROM json_each(?))').bind(JSON.stringify(ids)).first<{ n: number }>();
    expect(left!.n).toBe(0);
    for (const id of ids.slice(0, 5)) expect(await partObjects(id)).toEqual([]);
  });
});

describe('a device resuming after the sweep', () => {
  it('is told it holds no parts, sends the file again from the start and completes it', async () => {
    const file = jpegOf(2 * ATTACHMENT_PART_BYTES + 777, 9);
    const [id] = await declared([file]);
    await putPart(id!, file, 0);
    await putPart(id!, file, 1);
    await ageParts(id!, 8);
    expect((await sweepAbandonedUploads(env, Date.now())).uploads).toBeGreaterThanOrEqual(1);

    // A completion asked before anything was resent: the missing parts, named (409, not a 5xx).
    const early = await complete(id!);
    expect(early.status).toBe(409);
    expect(await early.json()).toMatchObject({ code: 'upload_parts_missing', missing: [0, 1, 2], partCount: 3 });
    expect(await partsState(id!)).toMatchObject({ received: [], uploaded: false, partCount: 3 });
    for (const n of [0, 1, 2]) await putPart(id!, file, n);
    const done = await complete(id!);
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ id, sha256: await sha256Hex(file), size: file.byteLength });
    expect(await partRows(id!)).toEqual([]);
    expect(await partObjects(id!)).toEqual([]);
  });

  it('whose parts vanished under it (swept while it resumed): the completion names them, forgets them, and the resend completes', async () => {
    const file = jpegOf(2 * ATTACHMENT_PART_BYTES + 321, 11);
    const [id] = await declared([file]);
    for (const n of [0, 1]) await putPart(id!, file, n);
    // The sweep deleted part 0's object; the device had already asked which parts the server had.
    expect((await partsState(id!)).received).toEqual([0, 1]);
    await env.FILES.delete(`birth-parts/${id!}/0`);
    await putPart(id!, file, 2);
    const first = await complete(id!);
    expect(first.status).toBe(409);
    expect(await first.json()).toMatchObject({ code: 'upload_parts_missing', missing: [0] });
    // The next look at the parts no longer lists the lost one, so the device sends it again.
    expect((await partsState(id!)).received).toEqual([1, 2]);
    await putPart(id!, file, 0);
    const done = await complete(id!);
    expect(done.status).toBe(200);
    expect(((await done.json()) as { sha256: string }).sha256).toBe(await sha256Hex(file));
  });
});
