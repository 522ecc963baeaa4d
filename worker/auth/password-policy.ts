/** Which passwords staff may choose: length, not common, not their username; refusals are `weak_password`. */
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type WeakPasswordReason } from '../../schema/contracts/auth';
import { ApiError } from '../errors';
import { isCommonPassword } from './common-passwords';

const MESSAGES: Record<WeakPasswordReason, string> = {
  too_short: `Kata sandi minimal ${PASSWORD_MIN_LENGTH} karakter. / Password must be at least ${PASSWORD_MIN_LENGTH} characters.`,
  too_long: `Kata sandi maksimal ${PASSWORD_MAX_LENGTH} karakter. / Password must be at most ${PASSWORD_MAX_LENGTH} characters.`,
  same_as_username: 'Kata sandi tidak boleh sama dengan nama pengguna. / Password must not equal the username.',
  common: 'Kata sandi ini terlalu umum dan mudah ditebak; pilih yang lain. / This password is too common; choose another.',
  repeated: 'Kata sandi tidak boleh satu karakter yang diulang. / Password must not be one character repeated.',
  unchanged: 'Kata sandi baru harus berbeda dari yang lama. / The new password must differ from the current one.',
};

/** The reason `password` is refused for `username`, or null when it is acceptable. */
export function weakPasswordReason(password: string, username: string): WeakPasswordReason | null {
  // Code points, not UTF-16 units: an emoji is one character to the person typing it.
  const chars = [...password.normalize('NFC')];
  if (chars.length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (chars.length > PASSWORD_MAX_LENGTH) return 'too_long';
  if (password.toLowerCase() === username.toLowerCase()) return 'same_as_username';
  if (chars.every((ch) => ch === chars[0])) return 'repeated';
  if (isCommonPassword(password)) return 'common';
  return null;
}

/**
 * Throws 422 `weak_password` (with `reason`) unless `password` is acceptable for `username`.
 * @example assertAcceptablePassword(body.password, body.username);
 */
export function assertAcceptablePassword(password: string, username: string): void {
  const reason = weakPasswordReason(password, username);
  if (reason) throw weakPassword(reason);
}

export function weakPassword(reason: WeakPasswordReason): ApiError {
  return new ApiError('weak_password', MESSAGES[reason], { reason });
}
