/**
 * The first byte of a birth-certificate QR (schema/birth-qr.ts BIRTH_QR_MAGIC), in a module of its own so that the
 * checker can tell a certificate from a digital KTP without loading the certificate verifier until one is scanned.
 */
export const BIRTH_QR_FIRST_BYTE = 0x41;
