// Builds schema/regions/data.ts: current Kemendagri region codes plus the retired (pre-2022 Papua split) district codes NIKs still carry.
// Run with `node scripts/build-regions.mjs` (Node 20, no dependencies beyond the two data packages).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mod = (p) => path.join(root, 'node_modules', p);
const out = path.join(root, 'schema/regions/data.ts');

const AREA_PKG = JSON.parse(readFileSync(mod('idn-area-data/package.json'), 'utf8'));
const LEGACY_PKG = JSON.parse(readFileSync(mod('nik-parser/package.json'), 'utf8'));

/** Minimal RFC 4180 reader: the area CSVs quote a field only when it holds a quote ("Ra""as"). */
function readCsv(file) {
  const text = readFileSync(file, 'utf8').replace(/\r\n/g, '\n').trimEnd();
  const rows = [];
  for (const line of text.split('\n')) {
    const fields = [];
    let i = 0;
    while (i <= line.length) {
      if (line[i] === '"') {
        let value = '';
        i++;
        while (i < line.length) {
          if (line[i] === '"' && line[i + 1] === '"') { value += '"'; i += 2; }
          else if (line[i] === '"') { i++; break; }
          else value += line[i++];
        }
        fields.push(value);
        i++; // the comma after the closing quote
      } else {
        const end = line.indexOf(',', i);
        const stop = end === -1 ? line.length : end;
        fields.push(line.slice(i, stop));
        i = stop + 1;
      }
    }
    rows.push(fields);
  }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, k) => [h, r[k] ?? ''])));
}

const undot = (code) => code.replaceAll('.', '');

// Current list (Kepmendagri 300.2.2-2138/2025).
const provinces = new Map(readCsv(mod('idn-area-data/data/provinces.csv')).map((r) => [r.code, r.name]));
const regencies = new Map(readCsv(mod('idn-area-data/data/regencies.csv')).map((r) => [undot(r.code), r.name]));
const districts = new Map(readCsv(mod('idn-area-data/data/districts.csv')).map((r) => [undot(r.code), r.name]));
for (const code of districts.keys()) {
  if (!/^\d{6}$/.test(code) || !regencies.has(code.slice(0, 4))) throw new Error(`unexpected district code ${code}`);
}

// Earlier list (34 provinces, before the 2022 Papua split): upper-case names, districts carry " -- <postcode>".
const legacy = JSON.parse(readFileSync(mod('nik-parser/dist/wilayah.json'), 'utf8'));

/** "KAB. PEGUNUNGAN BINTANG" → "Kabupaten Pegunungan Bintang"; "P A P U A" → "Papua"; postcode suffix dropped. */
function legacyName(raw) {
  let s = raw.split(' -- ')[0].trim().replace(/\s+/g, ' ');
  if (/^(\S )+\S$/.test(s)) s = s.replaceAll(' ', ''); // letter-spaced "P A P U A"
  s = s.replace(/^KAB\.?\s+/, 'KABUPATEN ');
  return s.toLowerCase().replace(/(^|[\s\-(/])(\p{L})/gu, (_, sep, ch) => sep + ch.toUpperCase());
}

/** Name key for matching across lists: kind of regency kept (Kabupaten vs Kota Sorong), punctuation and case dropped. */
function key(name) {
  return legacyName(name).toUpperCase().replace(/[^A-Z0-9]/g, '');
}

function levenshtein(a, b) {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

// Legacy regency → current regency: same code and same name, else the unique current regency with the same name.
const currentRegencyByKey = new Map();
for (const [code, name] of regencies) {
  const k = key(name);
  currentRegencyByKey.set(k, currentRegencyByKey.has(k) ? null : code); // null marks an ambiguous name
}
function successorRegency(code4) {
  const name = legacy.kabkot[code4];
  if (!name) return undefined;
  if (regencies.has(code4) && key(regencies.get(code4)) === key(name)) return code4;
  return currentRegencyByKey.get(key(name)) ?? undefined;
}

// Districts retired from the current list, with today's district where the names let us derive it.
const retired = Object.keys(legacy.kecamatan).filter((c) => !districts.has(c)).sort();
const legacyDistricts = new Map(); // code6 → { name, successor? }
const fuzzy = [];
for (const code of retired) {
  const name = legacyName(legacy.kecamatan[code]);
  const regency = successorRegency(code.slice(0, 4));
  let successor;
  if (regency) {
    const candidates = [...districts].filter(([c]) => c.startsWith(regency));
    const exact = candidates.filter(([, n]) => key(n) === key(name));
    if (exact.length === 1) successor = exact[0][0];
    else if (exact.length === 0) {
      // Spelling drift between lists (Holuon/Holuwon, Kobagma/Kobakma): accept one clear nearest name only.
      const scored = candidates.map(([c, n]) => [c, levenshtein(key(n), key(name))]).sort((a, b) => a[1] - b[1]);
      const [best, second] = scored;
      if (best && best[1] <= 2 && (!second || second[1] > best[1])) {
        successor = best[0];
        fuzzy.push(`${code} ${name} → ${best[0]} ${districts.get(best[0])}`);
      }
    }
  }
  legacyDistricts.set(code, { name, successor });
}

const legacyRegencyCodes = [...new Set(retired.map((c) => c.slice(0, 4)))].sort();
const legacyProvinceCodes = [...new Set(retired.map((c) => c.slice(0, 2)))].sort();

// Compact encoding: one string per regency, "SSName|SSName" (SS = last two digits of the district code),
// legacy entries carry ">" + today's code when known.
function packDistricts(entries) {
  const byRegency = new Map();
  for (const [code, text] of entries) {
    if (text.replace(/>\d{6}$/, '').match(/[|>]/)) throw new Error(`separator in name: ${code} ${text}`);
    const r = code.slice(0, 4);
    if (!byRegency.has(r)) byRegency.set(r, []);
    byRegency.get(r).push(code.slice(4) + text);
  }
  return Object.fromEntries([...byRegency].sort(([a], [b]) => a.localeCompare(b)).map(([r, list]) => [r, list.join('|')]));
}

const obj = (o) => JSON.stringify(o, null, 0).replace(/","/g, '",\n  "').replace(/^\{/, '{\n  ').replace(/\}$/, ',\n}');

const currentDistricts = packDistricts([...districts].sort(([a], [b]) => a.localeCompare(b)));
const retiredPacked = packDistricts(
  [...legacyDistricts].map(([code, d]) => [code, d.successor ? `${d.name}>${d.successor}` : d.name]),
);
const legacyRegencies = Object.fromEntries(
  legacyRegencyCodes.map((r) => {
    const succ = successorRegency(r);
    return [r, succ ? `${legacyName(legacy.kabkot[r])}>${succ}` : legacyName(legacy.kabkot[r])];
  }),
);
const legacyProvinces = Object.fromEntries(legacyProvinceCodes.map((p) => [p, legacyName(legacy.provinsi[p])]));
const mapped = [...legacyDistricts.values()].filter((d) => d.successor).length;

const text = `// GENERATED by scripts/build-regions.mjs — do not edit by hand; run \`npm run build:regions\` to rebuild.
// Current list: npm idn-area-data ${AREA_PKG.version} (Kepmendagri 300.2.2-2138/2025: ${provinces.size} provinces,
//   ${regencies.size} regencies/cities, ${districts.size} districts). Data © its contributors, made available under the
//   Open Database License (ODbL) 1.0 (node_modules/idn-area-data/data/LICENSE.md); this file is a derived database
//   under the same licence.
// Retired codes: wilayah.json of npm nik-parser ${LEGACY_PKG.version} (${Object.keys(legacy.provinsi).length} provinces, before the 2022 Papua split; MIT).
//   ${legacyDistricts.size} district codes absent from the current list, ${mapped} mapped to today's district by name
//   (${fuzzy.length} by a near spelling: ${fuzzy.map((f) => f.split(' →')[0]).join(', ') || 'none'}).
// Encoding: districts are grouped per regency as "SSName|SSName" where SS are the last two digits of the code;
// retired entries may end in ">" + today's 6-digit code. schema/regions/index.ts decodes this.

/** Province code (2 digits) → name, current list. */
export const PROVINCES: Readonly<Record<string, string>> = ${obj(Object.fromEntries(provinces))};

/** Regency/city code (4 digits, undotted) → name, current list. */
export const REGENCIES: Readonly<Record<string, string>> = ${obj(Object.fromEntries(regencies))};

/** Regency code → its current districts, packed "SSName|…". */
export const DISTRICTS: Readonly<Record<string, string>> = ${obj(currentDistricts)};

/** Provinces as named in the earlier list, for retired district codes. */
export const LEGACY_PROVINCES: Readonly<Record<string, string>> = ${obj(legacyProvinces)};

/** Regencies of retired district codes as named in the earlier list, ">" + today's regency code where known. */
export const LEGACY_REGENCIES: Readonly<Record<string, string>> = ${obj(legacyRegencies)};

/** Regency code → retired district codes, packed "SSName>today|…". */
export const LEGACY_DISTRICTS: Readonly<Record<string, string>> = ${obj(retiredPacked)};
`;

writeFileSync(out, text);
console.log(
  `wrote ${path.relative(root, out)}: ${districts.size} current districts, ${legacyDistricts.size} retired (${mapped} mapped, ${fuzzy.length} by near spelling)`,
);
for (const f of fuzzy) console.log(`  near spelling: ${f}`);
const unmapped = [...legacyDistricts].filter(([, d]) => !d.successor);
for (const [c, d] of unmapped) console.log(`  no successor: ${c} ${d.name}`);
