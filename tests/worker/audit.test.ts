/**
 * The audit log against someone with raw database access but not the Worker's secrets: every tampering is done with
 * SQL on the real D1 (triggers dropped first, as such a person would), and verification must name the first broken
 * entry. Each case restores the log afterwards, so the cases do not depend on each other's order.
 */
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditRow } from '../../worker/audit-chain';
import { withAudit } from '../../worker/audit';
import { allAuditRows } from '../../worker/db/audit';
import { checkpoint, seal, verify } from './helpers/audit';

const TRIGGERS = [
  `CREATE TRIGGER audit_log_seal_only BEFORE UPDATE ON audit_log
   WHEN OLD.hash IS NOT NULL OR NEW.hash IS NULL OR NEW.prev_hash IS NULL
     OR NEW.seq IS NOT OLD.seq OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor OR NEW.action IS NOT OLD.action
     OR NEW.object IS NOT OLD.object OR NEW.ip IS NOT OLD.ip OR NEW.detail_json IS NOT OLD.detail_json
     OR NEW.key_id IS NOT OLD.key_id OR NEW.mac IS NOT OLD.mac
   BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
  `CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
];

async function dropTriggers() {
  await env.DB.batch([env.DB.prepare('DROP TRIGGER IF EXISTS audit_log_seal_only'), env.DB.prepare('DROP TRIGGER IF EXISTS audit_log_no_delete')]);
}

async function write(n: number, tag = 'test.write') {
  await Promise.all(Array.from({ length: n }, (_, i) => withAudit(env.DB, [{ actor: 'staff:t', action: tag, object: `thing:${i}`, detail: { i } }], () => [])));
}

/** Runs a tampering and its assertions, then puts the log, its counter and the checkpoints back as they were. */
async function tampered(fn: (rows: AuditRow[]) => Promise<void>) {
  const rows = await allAuditRows(env.DB);
  const seqRow = await env.DB.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'`).first<{ seq: number }>();
  const objects = new Set((await env.AUDIT_ANCHORS.list({ prefix: 'audit/' })).objects.map((o) => o.key));
  const latest = await (await env.AUDIT_ANCHORS.get('audit/latest.json'))?.text();
  try {
    await fn(rows);
  } finally {
    await dropTriggers();
    const cols = 'seq, at, actor, action, object, ip, detail_json, key_id, mac, prev_hash, hash';
    const inserts = rows.map((r) =>
      env.DB.prepare(`INSERT INTO audit_log (${cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).bind(r.seq, r.at, r.actor, r.action, r.object, r.ip, r.detail_json, r.key_id, r.mac, r.prev_hash, r.hash),
    );
    await env.DB.prepare('DELETE FROM audit_log').run();
    for (let i = 0; i < inserts.length; i += 100) await env.DB.batch(inserts.slice(i, i + 100));
    await env.DB.prepare(`UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_log'`).bind(seqRow?.seq ?? 0).run();
    await env.DB.batch(TRIGGERS.map((t) => env.DB.prepare(t)));
    for (const o of (await env.AUDIT_ANCHORS.list({ prefix: 'audit/' })).objects) if (!objects.has(o.key)) await env.AUDIT_ANCHORS.delete(o.key);
    if (latest !== undefined) await env.AUDIT_ANCHORS.put('audit/latest.json', latest);
  }
  expect(await verify()).toMatchObject({ ok: true });
}

beforeEach(async () => {
  await write(12);
  await checkpoint();
  await write(3); // written after the checkpoint, sealed but not yet pinned by one
  await seal();
  expect(await verify()).toMatchObject({ ok: true, invalidCheckpoints: [] });
});

describe('audit log: writers never contend', () => {
  it('50 concurrent writers all succeed; the sealer links them in seq order and the log verifies', async () => {
    const before = (await allAuditRows(env.DB)).length;
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => withAudit(env.DB, [{ actor: 'staff:c', action: 'test.concurrent', object: `o:${i}` }], () => [])));
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    // Two sealers at once compute the same links; neither fails.
    const [a, b] = await Promise.all([seal(), seal()]);
    expect(a.stoppedAt ?? b.stoppedAt).toBeUndefined();
    const report = await verify();
    expect(report).toMatchObject({ ok: true, entries: before + 50, sealed: before + 50 });
  });

  it('refuses updates and deletes through the triggers; sealing is the one update allowed', async () => {
    await expect(env.DB.prepare('DELETE FROM audit_log').run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare(`UPDATE audit_log SET detail_json = '{}' WHERE seq = 1`).run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare(`UPDATE audit_log SET hash = NULL WHERE seq = 1`).run()).rejects.toThrow(/append-only/);
  });
});

describe('audit log: tampering with database access is named', () => {
  it('an edited entry', async () => {
    await tampered(async (rows) => {
      const victim = rows[5]!;
      await dropTriggers();
      await env.DB.prepare(`UPDATE audit_log SET detail_json = '{"i":999}' WHERE seq = ?`).bind(victim.seq).run();
      expect(await verify()).toMatchObject({ ok: false, brokenAt: victim.seq, reason: 'entry_mac_mismatch' });
    });
  });

  it('an entry deleted from the middle', async () => {
    await tampered(async (rows) => {
      const victim = rows[4]!;
      await dropTriggers();
      await env.DB.prepare('DELETE FROM audit_log WHERE seq = ?').bind(victim.seq).run();
      expect(await verify()).toMatchObject({ ok: false, brokenAt: victim.seq, reason: 'seq_gap' });
    });
  });

  it('the newest entries deleted, where a checkpoint covers them', async () => {
    await tampered(async () => {
      await write(5);
      const cp = (await checkpoint()).checkpoint!;
      await dropTriggers();
      await env.DB.prepare('DELETE FROM audit_log WHERE seq > ?').bind(cp.seq - 3).run();
      expect(await verify()).toMatchObject({ ok: false, brokenAt: cp.seq - 2, reason: 'truncated' });
    });
  });

  it('the last 50 entries deleted', async () => {
    await tampered(async () => {
      await write(60);
      const cp = (await checkpoint()).checkpoint!;
      await dropTriggers();
      await env.DB.prepare('DELETE FROM audit_log WHERE seq > ?').bind(cp.seq - 50).run();
      expect(await verify()).toMatchObject({ ok: false, brokenAt: cp.seq - 49, reason: 'truncated' });
    });
  });

  it('a forged entry appended with a self-computed hash', async () => {
    await tampered(async (rows) => {
      const last = rows.at(-1)!;
      const seq = last.seq + 1;
      const hash = [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${last.hash}forged`)))].map((b) => b.toString(16).padStart(2, '0')).join('');
      await env.DB.prepare(
        `INSERT INTO audit_log (seq, at, actor, action, object, ip, detail_json, key_id, mac, prev_hash, hash) VALUES (?, ?, 'staff:evil', 'staff.create', 'user:evil', NULL, '{}', ?, ?, ?, ?)`,
      ).bind(seq, new Date().toISOString(), last.key_id, hash, last.hash, hash).run();
      expect(await verify()).toMatchObject({ ok: false, brokenAt: seq, reason: 'entry_mac_mismatch' });
    });
  });

  it('a forged entry left unsealed is never sealed, and is named', async () => {
    await tampered(async (rows) => {
      const seq = rows.at(-1)!.seq + 1;
      await env.DB.prepare(`INSERT INTO audit_log (seq, at, actor, action, object, ip, detail_json, key_id, mac) VALUES (?, ?, 'staff:evil', 'x', 'y', NULL, '{}', ?, 'abcd')`)
        .bind(seq, new Date().toISOString(), rows[0]!.key_id).run();
      await write(2);
      const outcome = await seal();
      expect(outcome.stoppedAt).toEqual({ seq, reason: 'entry_mac_mismatch' });
      expect(await verify()).toMatchObject({ ok: false, brokenAt: seq, reason: 'entry_mac_mismatch' });
    });
  });

  it('an entry inserted in the middle by renumbering the ones after it', async () => {
    await tampered(async (rows) => {
      const at = rows[6]!.seq;
      await dropTriggers();
      const tail = rows.filter((r) => r.seq >= at).reverse();
      for (const r of tail) await env.DB.prepare('UPDATE audit_log SET seq = seq + 1 WHERE seq = ?').bind(r.seq).run();
      const copy = rows[2]!; // a genuine entry's fields and stamp, replayed at a new place
      await env.DB.prepare(`INSERT INTO audit_log (seq, at, actor, action, object, ip, detail_json, key_id, mac, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .bind(at, copy.at, copy.actor, copy.action, copy.object, copy.ip, copy.detail_json, copy.key_id, copy.mac, rows[5]!.hash, copy.hash).run();
      expect(await verify()).toMatchObject({ ok: false, brokenAt: at, reason: 'hash_mismatch' });
    });
  });

  it('an edited entry re-chained: every later hash recomputed without the key', async () => {
    await tampered(async (rows) => {
      const victim = rows[3]!;
      await dropTriggers();
      let prev = rows[2]!.hash!;
      for (const r of rows.slice(3)) {
        const detail = r.seq === victim.seq ? '{"i":"rewritten"}' : r.detail_json;
        const hash = [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${prev}${detail}${r.seq}`)))].map((b) => b.toString(16).padStart(2, '0')).join('');
        await env.DB.prepare('UPDATE audit_log SET detail_json = ?, mac = ?, prev_hash = ?, hash = ? WHERE seq = ?').bind(detail, hash, prev, hash, r.seq).run();
        prev = hash;
      }
      expect(await verify()).toMatchObject({ ok: false, brokenAt: victim.seq, reason: 'entry_mac_mismatch' });
    });
  });

  it('a hash set back to NULL on a pinned entry cannot be re-sealed to something else', async () => {
    await tampered(async (rows) => {
      const pinned = (await checkpoint()).checkpoint!;
      const victim = rows.find((r) => r.seq === pinned.seq)!;
      await dropTriggers();
      await env.DB.prepare(`UPDATE audit_log SET hash = NULL, prev_hash = NULL, detail_json = '{"x":1}' WHERE seq >= ?`).bind(victim.seq).run();
      expect(await verify()).toMatchObject({ ok: false, brokenAt: victim.seq, reason: 'entry_mac_mismatch' });
    });
  });

  it('a checkpoint forged in R2 is reported', async () => {
    await tampered(async () => {
      await env.AUDIT_ANCHORS.put('audit/checkpoints/000000999999.jws', 'eyJhbGciOiJub25lIn0.eyJzZXEiOjk5OTk5OX0.');
      expect(await verify()).toMatchObject({ ok: false, reason: 'invalid_checkpoint', invalidCheckpoints: ['audit/checkpoints/000000999999.jws'] });
      await env.AUDIT_ANCHORS.delete('audit/checkpoints/000000999999.jws');
    });
  });
});
