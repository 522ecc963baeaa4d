/**
 * Possible duplicates pushed at the very same moment (issue 10 leftover): two partners' devices push similar births
 * of the same mother in the same instant, each its own request. Each hook searches before either batch commits, so
 * neither sees the other; the later batch must still find the earlier one. Every similar pair is linked both ways,
 * and dissimilar ones (twins) are linked to nothing.
 */
import { env } from 'cloudflare:test';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeName, similarChildNames } from '../../schema/birth-rules';
import { uuid7 } from '../../schema/ids';
import * as bdb from '../../worker/db/birth';
import { submission, seedBirthOffice, PARTNER_A, PARTNER_B, signedInClerk } from './birth-kit';
import { createStaff, signIn, type SignedIn } from './helpers/auth';

type Result = { commandId: string; status: string; case?: { id: string; data: { flags?: Record<string, unknown> } }; problem?: { code: string } };

let clerks: SignedIn[] = [];

async function push(who: SignedIn, commands: unknown[]): Promise<Result[]> {
  const res = await who.fetch('/api/sync/push', { method: 'POST', json: { commands } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: Result[] }).results;
}

const linksOf = async (caseId: string) => (await bdb.duplicateLinks(env.DB, caseId)).sort();
const offlineCreate = (input: ReturnType<typeof submission>) => ({ id: uuid7(), type: 'create' as const, caseId: uuid7(), service: 'birth', input });

beforeAll(async () => {
  await seedBirthOffice();
  // Four partner sessions (two clerks of each partner): every push of a pair comes from a different session.
  clerks = [await signedInClerk(PARTNER_A), await signedInClerk(PARTNER_B), await signedInClerk(PARTNER_A), await signedInClerk(PARTNER_B)];
});

const PAIRS = 16;
const SIMILAR: [string, string][] = [
  ['Aisyah Putri Ramadhani', 'Aisah Putri Ramadani'],
  ["Nur'aini Rahmawati", 'Nuraini Rahmawati'],
  ['Muhammad Rizki', 'Rizki'],
  ['Dewi Lestari', 'Dewi Lestary'],
];

describe('similar births pushed at the same instant', () => {
  it(`${PAIRS} pairs pushed concurrently from different partner sessions: every pair linked both ways, twins on none`, async () => {
    const pairs = Array.from({ length: PAIRS }, (_, i) => {
      const mother = `630901420200${String(i).padStart(4, '0')}`;
      const [x, y] = SIMILAR[i % SIMILAR.length]!;
      return [offlineCreate(submission({ motherNik: mother, childName: x, daysAgo: 3 })), offlineCreate(submission({ motherNik: mother, childName: y, daysAgo: 3 }))] as const;
    });
    // Twins: same mother and date, names not alike; pushed at the same instant too.
    const twins = Array.from({ length: 6 }, (_, i) => {
      const mother = `630901420300${String(i).padStart(4, '0')}`;
      return [offlineCreate(submission({ motherNik: mother, childName: 'Hasan Basri', daysAgo: 3 })), offlineCreate(submission({ motherNik: mother, childName: 'Husein Basri', daysAgo: 3 }))] as const;
    });

    const all = [...pairs, ...twins];
    const results = await Promise.all(all.flatMap(([a, b], i) => [push(clerks[(2 * i) % 4]!, [a]), push(clerks[(2 * i + 1) % 4]!, [b])]));
    for (const r of results.flat()) expect(r.status, JSON.stringify(r.problem)).toBe('applied');

    const missed: string[] = [];
    for (const [a, b] of pairs) {
      const [la, lb] = [await linksOf(a.caseId), await linksOf(b.caseId)];
      if (la.join() !== b.caseId || lb.join() !== a.caseId) missed.push(`${a.input.child.name} / ${b.input.child.name}: ${la.length}/${lb.length}`);
    }
    expect(missed).toEqual([]);
    for (const [a, b] of twins) {
      expect(await linksOf(a.caseId)).toEqual([]);
      expect(await linksOf(b.caseId)).toEqual([]);
    }
    // What each clerk sees afterwards: only the flag, on both cases of a pair.
    for (const [i, [a, b]] of pairs.entries()) {
      for (const [who, c] of [[clerks[(2 * i) % 4]!, a], [clerks[(2 * i + 1) % 4]!, b]] as const) {
        const res = await who.fetch(`/api/cases/${c.caseId}`);
        expect(res.status).toBe(200);
        const text = await res.text();
        expect((JSON.parse(text) as { data: { flags: Record<string, unknown> } }).data.flags).toMatchObject({ possibleDuplicate: true });
        expect(text).not.toContain(c === a ? b.caseId : a.caseId);
      }
    }
  });
});

describe('a corrected name racing a similar push', () => {
  it('a resubmit renaming the child and a push similar to the OLD name, at the same instant: no link either way', async () => {
    const operator = await (async () => {
      const op = await createStaff({ roles: ['operator'] });
      return signIn(op.username, op.password);
    })();
    const n = 10;
    const earlier = Array.from({ length: n }, (_, i) => offlineCreate(submission({ motherNik: `630901420400${String(i).padStart(4, '0')}`, childName: 'Dewi Lestari', daysAgo: 2 })));
    for (const e of earlier) expect((await push(clerks[0]!, [e]))[0]!.status).toBe('applied');
    for (const e of earlier) {
      const [r] = await push(operator, [{ id: uuid7(), type: 'action', caseId: e.caseId, action: 'return_incomplete', baseVersion: 1, input: { reasons: [{ requirement: 'kk', reason: 'Nama anak salah' }] } }]);
      expect(r!.status).toBe('applied');
    }
    const later = earlier.map((e) => offlineCreate(submission({ motherNik: e.input.mother.nik, childName: 'Dewi Lestary', daysAgo: 2 })));
    const results = await Promise.all(
      earlier.flatMap((e, i) => [
        push(clerks[2]!, [{ id: uuid7(), type: 'action', caseId: e.caseId, action: 'resubmit', baseVersion: 2, input: { attachments: [], child: { ...e.input.child, name: 'Bagus Saputra' } } }]),
        push(clerks[(i % 2) * 2 + 1]!, [later[i]!]),
      ]),
    );
    for (const r of results.flat()) expect(r.status, JSON.stringify(r.problem)).toBe('applied');
    for (const [i, e] of earlier.entries()) {
      expect(await linksOf(e.caseId)).toEqual([]);
      expect(await linksOf(later[i]!.caseId)).toEqual([]);
    }
  });
});

describe('the similarity in SQL is the one in code', () => {
  const keyOf = (name: string) => {
    const nameKey = normalizeName(name);
    return { nameKey, words: nameKey ? nameKey.split(' ') : [] };
  };
  // Names from few letters, so near misses (one or two edits, shared words) are common; with marks and punctuation.
  const letter = fc.constantFrom('a', 'i', 'u', 'r', 's', 'y', 'h', 'A', 'R', 'Ṣ', 'é', "'", '-', ' ', '.');
  const name = fc.array(letter, { minLength: 1, maxLength: 24 }).map((cs) => cs.join(''));

  it('similarNameKeys agrees with similarChildNames on 300 random name sets', async () => {
    await fc.assert(
      fc.asyncProperty(name, fc.array(name, { minLength: 1, maxLength: 8 }), async (me, others) => {
        const rows = others.map((o, i) => ({ id: `c${String(i).padStart(2, '0')}`, key: keyOf(o), name: o }));
        const inSql = await bdb.similarNameKeys(env.DB, keyOf(me), rows);
        expect(inSql).toEqual(rows.filter((r) => similarChildNames(me, r.name)).map((r) => r.id));
      }),
      { numRuns: 300 },
    );
  });

  it('known cases: one edit per six letters, contained words, twins, the longest names', async () => {
    const cases: [string, string, boolean][] = [
      ['Aisyah', 'Aisah', true],
      ['Aisyah Putri Ramadhani', 'Aisah Putri Ramadani', true],
      ['Muhammad Rizki', 'Rizki', true],
      ["Nur'aini Siti-Ḥasanah", 'NURAINI SITI HASANAH', true],
      ['Hasan Basri', 'Husein Basri', false],
      ['Ani', 'Ina', false],
      ['Budi', 'Bude', true],
      ['A'.repeat(80), `${'A'.repeat(66)}${'B'.repeat(14)}`, false],
      ['A'.repeat(80), `${'A'.repeat(67)}${'B'.repeat(13)}`, true],
    ];
    for (const [a, b, similar] of cases) {
      expect(similarChildNames(a, b), `${a} / ${b}`).toBe(similar);
      expect(await bdb.similarNameKeys(env.DB, keyOf(a), [{ id: 'x', key: keyOf(b) }]), `${a} / ${b}`).toEqual(similar ? ['x'] : []);
    }
  });
});
