/** The IKM survey (Indeks Kepuasan Masyarakat, PermenPANRB 14/2017): its 9 elements, the exact score, grade and sample size; pure. */
import { z } from 'zod';

type Text = { id: string; en: string };
export interface IkmElement {
  key: string;
  /** The element's name (unsur) in the regulation. */
  name: Text;
  /** The questionnaire's question for the element. */
  question: Text;
  /** Answers scored 1, 2, 3, 4 in that order. */
  answers: readonly [Text, Text, Text, Text];
}

const fit = (id: string, en: string): [Text, Text, Text, Text] => [
  { id: `Tidak ${id}`, en: `Not ${en}` },
  { id: `Kurang ${id}`, en: `Hardly ${en}` },
  { id: id[0]!.toUpperCase() + id.slice(1), en: en[0]!.toUpperCase() + en.slice(1) },
  { id: `Sangat ${id}`, en: `Very ${en}` },
];

/** The nine elements (unsur) U1–U9 in the regulation's order, with the questionnaire's wording (Lampiran, contoh kuesioner). */
export const IKM_ELEMENTS: readonly IkmElement[] = [
  {
    key: 'u1', name: { id: 'Persyaratan', en: 'Requirements' },
    question: { id: 'Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?', en: 'How well do the service requirements fit the kind of service?' },
    answers: fit('sesuai', 'fitting'),
  },
  {
    key: 'u2', name: { id: 'Sistem, mekanisme dan prosedur', en: 'System, mechanism and procedure' },
    question: { id: 'Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?', en: 'How easy is the service procedure of this unit to follow?' },
    answers: fit('mudah', 'easy'),
  },
  {
    key: 'u3', name: { id: 'Waktu penyelesaian', en: 'Completion time' },
    question: { id: 'Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?', en: 'How fast was the service delivered?' },
    answers: fit('cepat', 'fast'),
  },
  {
    key: 'u4', name: { id: 'Biaya/tarif', en: 'Cost/fee' },
    question: { id: 'Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?', en: 'How fair is the cost or fee of the service?' },
    answers: [
      { id: 'Sangat mahal', en: 'Very expensive' },
      { id: 'Cukup mahal', en: 'Rather expensive' },
      { id: 'Murah', en: 'Cheap' },
      { id: 'Gratis', en: 'Free' },
    ],
  },
  {
    key: 'u5', name: { id: 'Produk spesifikasi jenis pelayanan', en: 'Product specification' },
    question: { id: 'Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan dengan hasil yang diberikan?', en: 'How well does the product you received match the one in the service standard?' },
    answers: fit('sesuai', 'matching'),
  },
  {
    key: 'u6', name: { id: 'Kompetensi pelaksana', en: 'Staff competence' },
    question: { id: 'Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?', en: 'How competent were the staff serving you?' },
    answers: fit('kompeten', 'competent'),
  },
  {
    key: 'u7', name: { id: 'Perilaku pelaksana', en: 'Staff behaviour' },
    question: { id: 'Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?', en: 'How polite and friendly were the staff?' },
    answers: fit('sopan dan ramah', 'polite and friendly'),
  },
  {
    key: 'u8', name: { id: 'Penanganan pengaduan, saran dan masukan', en: 'Handling of complaints and suggestions' },
    question: { id: 'Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?', en: 'How are service users\' complaints handled?' },
    answers: [
      { id: 'Tidak ada', en: 'There is none' },
      { id: 'Ada tetapi tidak berfungsi', en: 'Exists but does not work' },
      { id: 'Berfungsi kurang maksimal', en: 'Works, not fully' },
      { id: 'Dikelola dengan baik', en: 'Well managed' },
    ],
  },
  {
    key: 'u9', name: { id: 'Sarana dan prasarana', en: 'Facilities' },
    question: { id: 'Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?', en: 'What is the quality of the facilities?' },
    answers: [
      { id: 'Buruk', en: 'Poor' },
      { id: 'Cukup', en: 'Fair' },
      { id: 'Baik', en: 'Good' },
      { id: 'Sangat baik', en: 'Very good' },
    ],
  },
];

const answer = z.number().int().min(1).max(4);
/** One respondent's nine answers, U1…U9, each 1–4. */
export const IkmAnswers = z.tuple([answer, answer, answer, answer, answer, answer, answer, answer, answer]);
export type IkmAnswers = z.infer<typeof IkmAnswers>;

/** The optional respondent profile the regulation's questionnaire asks for. */
export const IkmProfile = z.strictObject({
  sex: z.enum(['L', 'P']).optional(),
  ageGroup: z.enum(['<20', '20-29', '30-39', '40-49', '50+']).optional(),
  education: z.enum(['sd', 'smp', 'sma', 'd1-d3', 'd4-s1', 's2+']).optional(),
  occupation: z.enum(['pns', 'tni_polri', 'swasta', 'wirausaha', 'pelajar', 'lainnya']).optional(),
});
export type IkmProfile = z.infer<typeof IkmProfile>;

export type IkmGrade = 'A' | 'B' | 'C' | 'D';
export const IKM_GRADE_LABELS: Record<IkmGrade, Text> = {
  A: { id: 'Sangat baik', en: 'Very good' },
  B: { id: 'Baik', en: 'Good' },
  C: { id: 'Kurang baik', en: 'Fair' },
  D: { id: 'Tidak baik', en: 'Poor' },
};

export interface IkmScore {
  respondents: number;
  /** Σ of each element's answers (exact integers). */
  elementSums: number[];
  /** NRR per element = sum / respondents, unrounded (for display; the score never uses rounded ones). */
  elementAverages: number[];
  /** IKM = (Σ NRR_i / 9) × 25 from the exact sums, rounded once to two decimals. */
  score: number;
  grade: IkmGrade;
  /**
   * What the common spreadsheet gives: each NRR rounded to 2 decimals, times 0.111, summed, × 25, rounded to two
   * decimals. Shown beside the score so an office comparing with last year's Excel sees where the gap comes from.
   */
  spreadsheetScore: number;
  spreadsheetGrade: IkmGrade;
}

/** Half-up rounding of the non-negative fraction num/den to an integer, in exact integer arithmetic. */
function roundDiv(num: bigint, den: bigint): bigint {
  return (2n * num + den) / (2n * den);
}

/**
 * The grade of a two-decimal score: A 88.31–100, B 76.61–88.30, C 65.00–76.60, D 25.00–64.99.
 * @example ikmGrade(88.31) // 'A'
 */
export function ikmGrade(score: number): IkmGrade {
  const hundredths = Math.round(score * 100);
  if (hundredths >= 8831) return 'A';
  if (hundredths >= 7661) return 'B';
  if (hundredths >= 6500) return 'C';
  return 'D';
}

/**
 * Scores a set of responses. IKM = 25 × T / (9 n) for T the sum of all answers and n the respondents, which is
 * (Σ NRR_i / 9) × 25 without any intermediate rounding; the one rounding (half up, two decimals) comes last.
 * Null when there is no response.
 * @example ikmScore([[4,4,4,4,4,4,4,4,4]]).score // 100
 */
export function ikmScore(responses: readonly (readonly number[])[]): IkmScore | null {
  if (responses.length === 0) return null;
  const sums = Array.from({ length: 9 }, () => 0);
  for (const r of responses) {
    const parsed = IkmAnswers.parse(r);
    parsed.forEach((v, i) => (sums[i]! += v));
  }
  return ikmScoreFromSums(sums, responses.length);
}

/** The same score from per-element sums (what the database aggregates) and the number of respondents. */
export function ikmScoreFromSums(sums: readonly number[], respondents: number): IkmScore | null {
  if (respondents <= 0) return null;
  if (sums.length !== 9 || sums.some((s) => !Number.isInteger(s) || s < respondents || s > 4 * respondents)) {
    throw new RangeError('nine element sums between n and 4n are needed');
  }
  const n = BigInt(respondents);
  const total = sums.reduce((a, b) => a + BigInt(b), 0n);
  // score in hundredths = round(100 × 25 × T / (9 n))
  const score = Number(roundDiv(2500n * total, 9n * n)) / 100;
  // Spreadsheet: r_i = round(100 × sum_i / n) hundredths; Σ r_i × 0.111 × 25 in hundredths = Σ r_i × 111 × 25 / 1000.
  const rounded = sums.map((s) => roundDiv(100n * BigInt(s), n));
  const spreadsheet = Number(roundDiv(rounded.reduce((a, b) => a + b, 0n) * 111n * 25n, 1000n)) / 100;
  return {
    respondents,
    elementSums: [...sums],
    elementAverages: sums.map((s) => s / respondents),
    score,
    grade: ikmGrade(score),
    spreadsheetScore: spreadsheet,
    spreadsheetGrade: ikmGrade(spreadsheet),
  };
}

/**
 * Krejcie–Morgan sample size for a population of `population` service users (the table PermenPANRB 14/2017
 * refers to): s = χ² N P(1−P) / (d² (N−1) + χ² P(1−P)), χ² = 3.841 (1 degree of freedom, 95%), P = 0.5, d = 0.05,
 * rounded to the nearest whole respondent as the published table is (N = 50 → 44, 100 → 80, 1000 → 278).
 * @example krejcieMorgan(1000) // 278
 */
export function krejcieMorgan(population: number): number {
  if (!Number.isInteger(population) || population < 0) throw new RangeError('population must be a whole number ≥ 0');
  if (population <= 1) return population;
  // Times 400,000 to stay in integers: s = 384100·N / (1000·(N−1) + 384100).
  const N = BigInt(population);
  return Number(roundDiv(384100n * N, 1000n * (N - 1n) + 384100n));
}

/** Whether a period's respondents reach the Krejcie–Morgan sample for its number of service users. */
export function sampleSufficient(respondents: number, serviceUsers: number): { required: number; sufficient: boolean } {
  const required = krejcieMorgan(serviceUsers);
  return { required, sufficient: respondents >= required };
}

/** Services surveyed (seed 004's standard is per service); the key is also the `cases.service` that counts its users. */
export const IKM_SERVICES = ['ikd', 'ktp_digital', 'ktpel', 'retas', 'akta_lahir', 'aduan'] as const;
export type IkmService = (typeof IKM_SERVICES)[number];
export const IKM_SERVICE_LABELS: Record<IkmService, Text> = {
  ikd: { id: 'Aktivasi IKD', en: 'IKD activation' },
  ktp_digital: { id: 'KTP digital', en: 'Digital KTP' },
  ktpel: { id: 'Penerbitan KTP-el', en: 'KTP-el issuance' },
  retas: { id: 'Perekaman KTP-el di sekolah (RETAS)', en: 'KTP-el recording at schools (RETAS)' },
  akta_lahir: { id: 'Akta kelahiran', en: 'Birth certificate' },
  aduan: { id: 'Penanganan pengaduan', en: 'Complaint handling' },
};

/** One survey answer as the PWA sends it: client-made id (so a resend is one answer), nine answers, optional profile. */
export const IkmSubmission = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
  answers: IkmAnswers,
  profile: IkmProfile.optional(),
  /** An invitation code (a complaint's tracking code, or one printed at the counter)… */
  invitation: z.string().max(100).optional(),
  /** …or the token of a kiosk tablet. */
  kiosk: z.string().max(100).optional(),
}).refine((v) => Boolean(v.invitation) !== Boolean(v.kiosk), { message: 'Sertakan undangan atau kios, salah satu / give an invitation or a kiosk, one of them', path: ['invitation'] });
export type IkmSubmission = z.infer<typeof IkmSubmission>;
