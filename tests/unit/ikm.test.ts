// The IKM score (PermenPANRB 14/2017) exactly per SPEC.md F: exact sums, one rounding at the end, grade, sample size.
import { describe, expect, it } from 'vitest';
import { IKM_ELEMENTS, ikmGrade, ikmScore, ikmScoreFromSums, krejcieMorgan, sampleSufficient } from '../../schema/ikm';

/** n respondents whose element i sums to sums[i]: respondent j answers 4 while j < sums[i] − 3n, else 3. */
function responsesWithSums(sums: number[], n: number): number[][] {
  return Array.from({ length: n }, (_, j) => sums.map((s) => (j < s - 3 * n ? 4 : 3)));
}

describe('ikmScore', () => {
  it('a worked example computed by hand', () => {
    // Five respondents, elements U1…U9:
    const responses = [
      [4, 3, 3, 4, 3, 3, 4, 4, 4],
      [3, 3, 4, 4, 3, 4, 4, 4, 4],
      [3, 4, 3, 3, 3, 3, 4, 4, 4],
      [3, 3, 4, 3, 4, 4, 4, 3, 4],
      [3, 3, 3, 4, 3, 3, 4, 4, 4],
    ];
    // Element sums: U1 16, U2 16, U3 17, U4 18, U5 16, U6 17, U7 20, U8 19, U9 20 → total 159.
    // NRR: 3.2, 3.2, 3.4, 3.6, 3.2, 3.4, 4.0, 3.8, 4.0 → Σ 31.8; 31.8 / 9 × 25 = 88.333… → 88.33, grade A.
    // Spreadsheet: Σ (NRR rounded × 0.111) = 31.8 × 0.111 = 3.5298; × 25 = 88.245 → 88.25, grade B (SPEC.md F's case).
    const s = ikmScore(responses)!;
    expect(s.respondents).toBe(5);
    expect(s.elementSums).toEqual([16, 16, 17, 18, 16, 17, 20, 19, 20]);
    expect(s.elementAverages).toEqual([3.2, 3.2, 3.4, 3.6, 3.2, 3.4, 4, 3.8, 4]);
    expect(s.score).toBe(88.33);
    expect(s.grade).toBe('A');
    expect(s.spreadsheetScore).toBe(88.25);
    expect(s.spreadsheetGrade).toBe('B');
  });

  it('rounding each element first would move the grade; the exact sums do not', () => {
    // Eight respondents; element sums 31, 30, 27, 29, 31, 27, 29, 25, 25 (total 254).
    const sums = [31, 30, 27, 29, 31, 27, 29, 25, 25];
    const s = ikmScore(responsesWithSums(sums, 8))!;
    // Exact: 25 × 254 / 72 = 88.1944… → 88.19, B.
    expect(s.score).toBe(88.19);
    expect(s.grade).toBe('B');
    // Per element rounded: 3.88 + 3.75 + 3.38 + 3.63 + 3.88 + 3.38 + 3.63 + 3.13 + 3.13 = 31.79; / 9 × 25 = 88.3055… → 88.31, A.
    const perElement = Math.round((s.elementAverages.map((a) => Math.round(a * 100) / 100).reduce((a, b) => a + b, 0) / 9) * 25 * 100) / 100;
    expect(perElement).toBe(88.31);
    expect(ikmGrade(perElement)).toBe('A');
    // And the spreadsheet's 0.111 gives a third figure: 31.79 × 0.111 × 25 = 88.217… → 88.22.
    expect(s.spreadsheetScore).toBe(88.22);
  });

  it('all 4 is 100 and all 1 is 25, the ends of the range', () => {
    expect(ikmScore([Array(9).fill(4)])!.score).toBe(100);
    expect(ikmScore([Array(9).fill(1)])!.score).toBe(25);
    expect(ikmScore([Array(9).fill(1)])!.grade).toBe('D');
  });

  it('rounds once, half up, at the end: 25 × 7 / 9 = 19.444… per respondent mix', () => {
    // One respondent, total 31 → 25 × 31 / 9 = 86.111… → 86.11; total 32 → 88.888… → 88.89.
    expect(ikmScoreFromSums([4, 4, 4, 4, 3, 3, 3, 3, 3], 1)!.score).toBe(86.11);
    expect(ikmScoreFromSums([4, 4, 4, 4, 4, 3, 3, 3, 3], 1)!.score).toBe(88.89);
    // Two respondents, total 53: 25 × 53 / 18 = 73.6111… → 73.61, C.
    const two = ikmScoreFromSums([6, 6, 6, 6, 6, 6, 6, 6, 5], 2)!;
    expect(two.score).toBe(73.61);
    expect(two.grade).toBe('C');
  });

  it('no responses, no score; answers outside 1–4 are refused', () => {
    expect(ikmScore([])).toBeNull();
    expect(() => ikmScore([[5, 4, 4, 4, 4, 4, 4, 4, 4]])).toThrow();
    expect(() => ikmScore([[4, 4, 4]])).toThrow();
    expect(() => ikmScoreFromSums([9, 9, 9, 9, 9, 9, 9, 9, 9], 2)).toThrow(RangeError);
  });
});

describe('ikmGrade boundaries (A 88.31–100, B 76.61–88.30, C 65.00–76.60, D 25.00–64.99)', () => {
  it.each([
    [100, 'A'], [88.31, 'A'], [88.3, 'B'], [76.61, 'B'], [76.6, 'C'], [65, 'C'], [64.99, 'D'], [25, 'D'],
  ] as const)('%s → %s', (score, grade) => expect(ikmGrade(score)).toBe(grade));
});

describe('krejcieMorgan', () => {
  // Values of the published Krejcie–Morgan (1970) table.
  it.each([
    [10, 10], [20, 19], [30, 28], [50, 44], [100, 80], [500, 217], [1000, 278], [10000, 370], [1000000, 384],
  ] as const)('N = %i → %i', (n, s) => expect(krejcieMorgan(n)).toBe(s));

  it('says whether a period has enough respondents', () => {
    expect(sampleSufficient(80, 100)).toEqual({ required: 80, sufficient: true });
    expect(sampleSufficient(79, 100)).toEqual({ required: 80, sufficient: false });
  });
});

it('the questionnaire has the nine elements, four answers each', () => {
  expect(IKM_ELEMENTS.map((e) => e.key)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8', 'u9']);
  for (const e of IKM_ELEMENTS) expect(e.answers).toHaveLength(4);
});
