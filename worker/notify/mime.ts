/**
 * Outgoing mail for the send_email binding (which takes raw bytes), assembled by mimetext: a plain-text body and,
 * when a message carries files, a multipart/mixed message with base64 attachments.
 */
import { createMimeMessage } from 'mimetext/browser';

const CRLF = '\r\n';
const encoder = new TextEncoder();

export interface MailAttachment {
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

export interface OutgoingMail {
  from: string;
  fromName?: string;
  to: string;
  subject: string;
  text: string;
  date: Date;
  /** With angle brackets: `<id@domain>`. */
  messageId: string;
  attachments?: MailAttachment[];
}

/**
 * The whole message with CRLF line ends and only 7-bit characters: the subject as an RFC 2047 word, the body as
 * quoted-printable UTF-8, attachments as base64 in 76-character lines.
 * @example buildMimeMessage({ from: 'loket@x.example', to: 'a@b.example', subject: 'Permohonan diterima', text, date: new Date(now), messageId: '<id@x.example>' })
 */
export function buildMimeMessage(m: OutgoingMail): string {
  for (const address of [m.from, m.to]) {
    if (!isMailAddress(address)) throw new TypeError('not a plain email address');
  }
  if (!/^<[\x21-\x3b\x3d\x3f-\x7e]+@[\x21-\x3b\x3d\x3f-\x7e]+>$/.test(m.messageId)) throw new TypeError('malformed Message-ID');
  const msg = createMimeMessage();
  // mimetext writes the display name as an RFC 2047 word; line breaks are taken out first all the same.
  const name = m.fromName?.replace(/[\r\n\t]+/g, ' ').trim();
  msg.setSender(name ? { name, addr: m.from } : { addr: m.from });
  msg.setRecipient({ addr: m.to });
  // A CR or LF in a header would start a new one (header injection); the subject is base64-encoded anyway.
  msg.setSubject(m.subject.replace(/[\r\n\t]+/g, ' '));
  msg.setHeader('Date', rfc5322Date(m.date));
  msg.setHeader('Message-ID', m.messageId);
  // RFC 3834: tells auto-responders (vacation replies) not to answer a machine.
  msg.setHeader('Auto-Submitted', 'auto-generated');
  msg.addMessage({ contentType: 'text/plain', charset: 'utf-8', encoding: 'quoted-printable', data: quotedPrintable(m.text) });
  for (const [i, a] of (m.attachments ?? []).entries()) {
    msg.addAttachment({ filename: attachmentName(a.filename, i), contentType: safeContentType(a.contentType), encoding: 'base64', data: base64Lines(a.bytes) });
  }
  return msg.asRaw();
}

/** A bare addr-spec we are willing to put in From/To: no display name, no spaces, no header-breaking characters. */
export function isMailAddress(s: string): boolean {
  return s.length <= 254 && /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(s);
}

/** `Tue, 07 Jul 2026 03:04:05 +0000` (RFC 5322 §3.3, numeric zone rather than the obsolete "GMT"). */
export function rfc5322Date(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

/** mimetext puts the name in `filename="…"` unencoded: keep it to characters that cannot break the header. */
function attachmentName(name: string, index: number): string {
  const clean = name.normalize('NFKD').replace(/[^\w.-]+/g, '_').replace(/^[._]+/, '').slice(0, 100);
  return clean || `lampiran-${index + 1}`;
}

function safeContentType(type: string): string {
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i.test(type) ? type.toLowerCase() : 'application/octet-stream';
}

/** Base64 in lines of 76 characters (RFC 2045 §6.8); mimetext inserts the data as given. */
function base64Lines(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return (btoa(binary).match(/.{1,76}/g) ?? []).join(CRLF);
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
