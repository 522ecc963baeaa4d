/**
 * The KTP-el counter receipt (seed 001, KTP-el step 2: "a receipt with a QR code"). The QR holds a link to the
 * public check page with an office-signed token in the fragment, so a phone camera opens it and the check runs
 * in the PWA, offline once the office keys are cached; the token never reaches a server log.
 */
import { z } from 'zod';

export const RECEIPT_TYP = 'ktpel-receipt+jwt';
export const RECEIPT_AUDIENCE = 'loket:ktpel-receipt';
/** The public check page; the token follows in the fragment (`#t=`). */
export const RECEIPT_CHECK_PATH = '/v/resi';
/** KTP-el states in which the front office has accepted the application, so a receipt exists. */
export const RECEIPT_STATES: ReadonlySet<string> = new Set(['accepted', 'printing', 'ready', 'collected']);
/** Long enough to collect the card (its standard time is 40 minutes; printing queues can take weeks). */
export const RECEIPT_TTL_SECONDS = 180 * 24 * 60 * 60;

/** What the token says besides iss/aud/iat/exp; `sub` is the case id, which is the receipt number. */
export const ReceiptClaims = z.object({
  sub: z.string(),
  /** Office code and name. */
  off: z.string(),
  offName: z.string(),
  /** Applicant's name and masked NIK (the full NIK is not needed to match a person to a receipt). */
  nm: z.string(),
  nik: z.string(),
  /** When the front office accepted the application (epoch ms). */
  acc: z.number().int(),
});
export type ReceiptClaims = z.infer<typeof ReceiptClaims>;

export const ReceiptResponse = z.object({
  receipt: z.object({
    number: z.string(),
    officeCode: z.string(),
    officeName: z.string(),
    name: z.string(),
    nikMasked: z.string(),
    acceptedAt: z.number().int(),
    expiresAt: z.number().int(),
    /** What the QR encodes: the check page with the token in the fragment. */
    checkUrl: z.string(),
    /** QR version of the check link at level M (≤ 10 with the compact format of schema/receipt-qr.ts). */
    qrVersion: z.number().int(),
  }),
});
export type Receipt = z.infer<typeof ReceiptResponse>['receipt'];

export const receiptCheckUrl = (origin: string, token: string): string => `${origin}${RECEIPT_CHECK_PATH}#t=${token}`;
