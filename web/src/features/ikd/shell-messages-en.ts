/** English of shell-messages.ts (ikd): loaded with the English dictionary (i18n/en.ts), never with an Indonesian first screen. */
import type { ProblemCode } from '../../../../schema/problems';
import type { ikdShellId } from './shell-messages';

export const ikdShellEn: Record<keyof typeof ikdShellId, string> = {
  'nav.ikd': 'IKD',
  'nav.ikdQueue': 'IKD queue',
  'task.ikd_operator': "Today's IKD activation queue: verify, scan the device QR, validate or reject; reset PINs and block lost devices.",
  'task.ikd_view': "See your office's IKD activation queue.",
  'auth.residentLink': 'Applying for IKD? Register, activate or sign in here.',
  'ikd.title': 'Digital population identity (IKD)',
};

export const ikdEnProblems: Partial<Record<ProblemCode, string>> = {
  identity_mismatch: 'The details do not match the population registry.',
  not_eligible: 'Not eligible for IKD yet.',
  ikd_case_open: 'An IKD application is already open for this NIK.',
  ikd_not_active: 'The IKD is not active.',
  assurance_insufficient: 'Sign in with your PIN on the bound phone first.',
  activation_link_invalid: 'This activation link is not valid.',
  activation_link_used: 'This activation link was already used.',
  activation_link_expired: 'This activation link has expired.',
  activation_link_dead: 'This activation link closed after 5 wrong PINs.',
  activation_link_revoked: 'A newer link replaced this one; use the latest email.',
  pin_wrong: 'Wrong PIN.',
  pin_locked: 'Too many wrong PINs; locked for a while.',
  pin_weak: 'The PIN is too easy to guess.',
  challenge_invalid: 'The sign-in attempt expired; try again.',
  device_key_invalid: 'The device key is not valid.',
  device_signature_invalid: 'The device signature does not verify.',
  device_not_bound: 'This phone is not bound to your IKD.',
  device_blocked: 'This phone is blocked (reported lost).',
  device_in_use: 'This device key is already registered, or a device is already bound.',
  binding_nonce_invalid: 'This binding QR is not valid for this application.',
  binding_nonce_expired: 'The binding QR was used or has expired; make a new one.',
  slot_not_found: 'Slot not found.',
  slot_full: 'This slot is full; choose another.',
  slot_unavailable: 'This slot can no longer be booked.',
  slot_outside_hours: 'Slots must lie within the office service hours.',
  slot_overlap: 'You already have a slot at that time.',
  slot_booked: 'Residents booked this slot; it cannot be cancelled.',
};
