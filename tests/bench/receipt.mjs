// KTP-el receipt QR size (run by tsx: `npm run bench:receipt`): the check link as GET /api/cases/{id}/receipt makes
// it now (compact signed bytes, `#r=`) beside the older JWT link (`#t=`), at level M, for a short and a long name and
// origin. Prints a Markdown table.
import os from 'node:os';
import { SignJWT, generateKeyPair } from 'jose';
import qrcode from 'qrcode-generator';
import { RECEIPT_AUDIENCE, RECEIPT_TTL_SECONDS, RECEIPT_TYP, receiptCheckUrl } from '../../schema/receipt.ts';
import { signCompactReceipt } from '../../schema/receipt-qr.ts';

const { privateKey } = await generateKeyPair('ES256');
const cases = [
  { label: 'short name, local origin', origin: 'http://localhost:8787', nm: 'SITI AMINAH', offName: 'Disdukcapil Kota Jambi' },
  { label: 'long name, production-like origin', origin: 'https://loket.disdukcapil-tabalong.go.id', nm: 'MUHAMMAD RIZKY RAMADHANI SAPUTRA', offName: 'Disdukcapil Kabupaten Tabalong' },
];
console.log(`# KTP-el receipt QR — ${new Date().toISOString().slice(0, 10)} — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}\n`);
console.log('| receipt | link bytes | QR version (level M) | modules |');
console.log('|---|---|---|---|');
for (const c of cases) {
  const token = await new SignJWT({ off: '63.09', offName: c.offName, nm: c.nm, nik: '6309••••••••0001', acc: Date.now() })
    .setProtectedHeader({ alg: 'ES256', kid: 'prod-2026-11-23-abcdef', typ: RECEIPT_TYP })
    .setIssuer(c.origin)
    .setAudience(RECEIPT_AUDIENCE)
    .setSubject('01a20a05-1317-77b7-b395-64cc7f95bbb8')
    .setIssuedAt()
    .setExpirationTime(`${RECEIPT_TTL_SECONDS}s`)
    .sign(privateKey);
  const compact = await signCompactReceipt(privateKey, 'prod-2026-11-23-abcdef', c.origin, {
    number: '01a20a05-1317-77b7-b395-64cc7f95bbb8', officeCode: '63.09', nikMasked: '6309••••••••0001', name: c.nm, acceptedAt: Date.now(),
  });
  for (const [kind, url] of [['JWT (#t=, before)', receiptCheckUrl(c.origin, token)], ['compact (#r=, now)', compact.url]]) {
    const qr = qrcode(0, 'M');
    qr.addData(url, 'Byte');
    qr.make();
    const n = qr.getModuleCount();
    console.log(`| ${c.label}, ${kind} | ${new TextEncoder().encode(url).length} | ${(n - 17) / 4} | ${n}×${n} |`);
  }
}
