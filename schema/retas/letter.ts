/**
 * What a RETAS assignment letter's QR carries (a JWT signed with the office key): its kind and audience, and the
 * facts a school's teacher checks at the gate. Shared by the Worker that signs and verifies it online and the
 * offline check at /v/surat-tugas, which verifies it against the office keys cached on the phone.
 */
import { z } from 'zod';

export const LETTER_TYP = 'retas-letter+jwt';
export const LETTER_AUDIENCE = 'loket:retas-letter';

export const LetterClaims = z.object({
  /** The case id. */
  sub: z.string().min(1),
  no: z.string().min(1),
  office: z.string(),
  school: z.string(),
  date: z.string(),
  officers: z.array(z.string()),
});
export type LetterClaims = z.infer<typeof LetterClaims>;
