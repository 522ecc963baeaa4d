/** Builds a plain-text RFC 5322 / MIME message by hand, for the send_email binding (which takes raw bytes). */

const CRLF = '\r\n';
const encoder = new TextEncoder();

export interface PlainMail {
  from: string;
  fromName?: string;
  to: string;
  subject: string;
  text: string;
  date: Date;
  /** With angle brackets: `<id@domain>`. */
  messageId: string;
}

/**
 * The whole message, CRLF line ends, 7-bit clean: non-ASCII subjects as RFC 2047 encoded-words, the body
 * as quoted-printable UTF-8.
 * @example buildMimeMessage({ from: 'loket@x.example', to: 'a@b.example', subject: 'Permohonan diterima', text, date: new Date(now), messageId: '<id@x.example>' })
 */
export function buildMimeMessage(m: PlainMail): string {
  for (const address of [m.from, m.to]) {
    if (!isMailAddress(address)) throw new TypeError('not a plain email address');
  }
  if (!/^<[\x21-\x3b\x3d\x3f-\x7e]+@[\x21-\x3b\x3d\x3f-\x7e]+>$/.test(m.messageId)) throw new TypeError('malformed Message-ID');
  const from = m.fromName ? `${encodePhrase(m.fromName)} <${m.from}>` : m.from;
  const headers = [
    `From: ${from}`,
    `To: ${m.to}`,
    `Subject: ${encodeHeaderText(m.subject, 'Subject: '.length)}`,
    `Date: ${rfc5322Date(m.date)}`,
    `Message-ID: ${m.messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    // RFC 3834: tells auto-responders (vacation replies) not to answer a machine.
    'Auto-Submitted: auto-generated',
  ];
  return headers.join(CRLF) + CRLF + CRLF + quotedPrintable(m.text) + CRLF;
}

/** A bare addr-spec we are willing to put in From/To: no display name, no spaces, no header-breaking characters. */
export function isMailAddress(s: string): boolean {
  return s.length <= 254 && /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(s);
}

/** `Tue, 07 Jul 2026 03:04:05 +0000` (RFC 5322 §3.3, numeric zone rather than the obsolete "GMT"). */
export function rfc5322Date(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

/**
 * Unstructured header text (Subject): ASCII stays readable and is folded at spaces; anything else becomes
 * `=?UTF-8?B?…?=` words, each whole characters only and short enough that every line stays under 78.
 */
export function encodeHeaderText(value: string, firstLineUsed = 0): string {
  // A CR or LF in a header would start a new header: header injection.
  const text = value.replace(/[\r\n\t]+/g, ' ');
  if (/^[\x20-\x7e]*$/.test(text)) return foldAscii(text, firstLineUsed);
  return encodedWords(text).join(`${CRLF} `);
}

/** A display name: plain atoms when safe, else encoded-words (never a quoted-string we could get wrong). */
function encodePhrase(name: string): string {
  const clean = name.replace(/[\r\n\t]+/g, ' ');
  return /^[A-Za-z0-9 !#$%&'*+/=?^_`{|}~-]+$/.test(clean) ? clean : encodedWords(clean).join(' ');
}

function foldAscii(text: string, firstLineUsed: number): string {
  const lines: string[] = [];
  let line = '';
  let room = 78 - firstLineUsed;
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (candidate.length > room && line !== '') {
      lines.push(line);
      line = word;
      room = 77; // continuation lines start with one space
    } else {
      line = candidate;
    }
  }
  lines.push(line);
  return lines.join(`${CRLF} `);
}

// 39 bytes → 52 base64 characters → a 64-character encoded-word: fits after "Subject: " within 78.
const WORD_BYTES = 39;

function encodedWords(text: string): string[] {
  const words: string[] = [];
  let chunk: number[] = [];
  for (const ch of text) {
    const bytes = encoder.encode(ch);
    if (chunk.length + bytes.length > WORD_BYTES) {
      words.push(encodedWord(chunk));
      chunk = [];
    }
    chunk.push(...bytes);
  }
  if (chunk.length > 0 || words.length === 0) words.push(encodedWord(chunk));
  return words;
}

function encodedWord(bytes: number[]): string {
  return `=?UTF-8?B?${btoa(String.fromCharCode(...bytes))}?=`;
}

/**
 * Quoted-printable (RFC 2045 §6.7) of UTF-8 text: line breaks become CRLF, encoded lines are at most 76
 * characters with soft breaks, trailing spaces are encoded so no relay strips them.
 */
export function quotedPrintable(text: string): string {
  return text.replace(/\r\n?/g, '\n').split('\n').map(qpLine).join(CRLF);
}

function qpLine(line: string): string {
  const bytes = encoder.encode(line);
  const out: string[] = [];
  let current = '';
  bytes.forEach((b, i) => {
    const last = i === bytes.length - 1;
    const literal = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
    const token = literal ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
    if (current.length + token.length > 75) {
      out.push(`${current}=`);
      current = '';
    }
    current += token;
  });
  out.push(current);
  return out.join(CRLF);
}
