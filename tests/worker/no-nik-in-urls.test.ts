/** Issue 8: a NIK is protected data (UU Adminduk art. 84, UU PDP), so no route takes one in its URL and no log line shows one. */
import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from './helpers/auth';
import { addResident, staff } from './ikd-kit';

type OpenApi = { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };

afterEach(() => vi.restoreAllMocks());

describe('no NIK in any URL', () => {
  it('no route of the OpenAPI document has a path or query parameter that carries a NIK, KK number or maiden name', async () => {
    const doc = (await (await api('/api/openapi.json')).json()) as OpenApi;
    const offenders: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (/nik|kk|maiden/i.test(path)) offenders.push(path);
      for (const [method, op] of Object.entries(methods)) {
        for (const p of op.parameters ?? []) if (/nik|kk|maiden/i.test(p.name)) offenders.push(`${method} ${path} ${p.in}:${p.name}`);
      }
    }
    expect(offenders).toEqual([]);
    expect(doc.paths['/api/registry/residents/lookup']).toHaveProperty('post');
    expect(doc.paths['/api/ikd/residents/match-attempts']).toHaveProperty('post');
  });

  it('the old GET forms are gone, and the lookups answer with the NIK in the body; nothing logged names it', async () => {
    const r = await addResident();
    const op = await staff(['operator']);
    const lines: string[] = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    }
    expect((await op.fetch(`/api/registry/residents/${r.nik}`)).status).toBe(404);
    expect((await op.fetch(`/api/ikd/residents/${r.nik}/match-attempts`)).status).toBe(404);
    const found = await op.fetch('/api/registry/residents/lookup', { method: 'POST', json: { nik: r.nik } });
    expect(found.status).toBe(200);
    expect(((await found.json()) as { resident: { nik: string } }).resident.nik).toBe(r.nik);
    expect((await op.fetch('/api/ikd/residents/match-attempts', { method: 'POST', json: { nik: r.nik } })).status).toBe(200);
    // A malformed body is a problem, not a crash, and the problem does not echo a 16-digit number back either.
    const bad = await op.fetch('/api/ikd/residents/match-attempts', { method: 'POST', json: { nik: '63090' } });
    expect(bad.status).toBe(422);
    expect(lines.join('\n')).not.toMatch(/\d{16}/);
    // Audit entries of the reads keep the NIK masked.
    const audit = await env.DB.prepare("SELECT object FROM audit_log WHERE action = 'registry.read' ORDER BY seq DESC LIMIT 1").first<{ object: string }>();
    expect(audit?.object).not.toContain(r.nik);
  });
});
