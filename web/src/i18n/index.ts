/** Language switch (id default, en) persisted in localStorage, typed message lookup, and readable problem messages. */
import { createSignal } from 'solid-js';
import type { UiProblem } from '../db';
import { type ZoneInfo, officeZone } from '../zones';
import { type Dict, type MsgKey, type UiProblemCode, id, idProblems } from './id';

export type Lang = 'id' | 'en';
export type { MsgKey };

const STORAGE_KEY = 'loket.lang';
// Indonesian is always here (the default, and the fallback); English loads when chosen (loadLang).
const [dicts, setDicts] = createSignal<{ id: Dict; en?: Dict }>({ id });
const [problemDicts, setProblemDicts] = createSignal<{ id: Partial<Record<UiProblemCode, string>>; en?: Partial<Record<UiProblemCode, string>> }>({ id: idProblems });
/** Texts of lazily loaded screens (the IKD ones), registered when their module loads. */
const [extra, setExtra] = createSignal<Record<Lang, Record<string, string>>>({ id: {}, en: {} });

/** English texts of lazily loaded screens (translator()), fetched with the English dictionary or when they load. */
const englishLoaders: (() => Promise<void>)[] = [];

/** Loads the dictionary of `l` (English is a separate file, fetched once, with the English of loaded screens). */
export async function loadLang(l: Lang): Promise<void> {
  if (l === 'id' || dicts().en) return;
  const [m] = await Promise.all([import('./en'), ...englishLoaders.map((load) => load())]);
  setDicts((d) => ({ ...d, en: m.en }));
  setProblemDicts((d) => ({ ...d, en: m.enProblems }));
}

/** Adds a screen's own texts to t(); called by that screen's message module when it loads. */
export function registerMessages(more: Record<Lang, Record<string, string>>): void {
  setExtra((e) => ({ id: { ...e.id, ...more.id }, en: { ...e.en, ...more.en } }));
}

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'id';
  } catch {
    return 'id'; // storage blocked: default language
  }
}

const [lang, setLangSignal] = createSignal<Lang>(initialLang());
export { lang };

export async function setLang(next: Lang): Promise<void> {
  await loadLang(next);
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not persisted, still switched for this session
  }
  document.documentElement.lang = next;
  setLangSignal(next);
}

/** The text of `key` in the current language: the loaded dictionaries, then registered screen texts, then Indonesian. */
function lookupText(key: string): string | undefined {
  const l = lang();
  const d = dicts();
  const own = (l === 'en' ? d.en : d.id) as Record<string, string> | undefined;
  if (own && Object.hasOwn(own, key)) return own[key];
  if (Object.hasOwn(extra()[l], key)) return extra()[l][key];
  if (Object.hasOwn(d.id, key)) return (d.id as Record<string, string>)[key];
  return Object.hasOwn(extra().id, key) ? extra().id[key] : undefined;
}

const fillIn = (text: string, params?: Record<string, string | number>) =>
  params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;

/**
 * The message for `key` in the current language, with `{name}` placeholders filled.
 * @example t('net.unsent', { n: 3 }) // "3 belum terkirim"
 */
export const t: Translate<MsgKey> = Object.assign((key: MsgKey, params?: Record<string, string | number>) => fillIn(lookupText(key) ?? key, params), {
  maybe: (key: string, params?: Record<string, string | number>) => {
    const text = lookupText(key);
    return text === undefined ? undefined : fillIn(text, params);
  },
});

/** Like t() for a key built at run time (e.g. `reason.${value}`); unknown keys give `fallback`. */
export function tryT(key: string, fallback: string): string {
  return t.maybe(key) ?? fallback;
}

type Translate<K extends string> = ((key: K, params?: Record<string, string | number>) => string) & {
  /** For keys built at run time; unknown keys give undefined. */
  maybe(key: string, params?: Record<string, string | number>): string | undefined;
};

/**
 * A lookup over a lazily loaded screen's own dictionary (the digital KTP and the checker), kept out of the main
 * bundle, that follows the language switch. Its English is fetched only when English is chosen (with the English
 * dictionary, or at once if English is already on); until it arrives the Indonesian text shows.
 */
export function translator<K extends string>(id: Record<K, string>, loadEnglish: () => Promise<Record<K, string>>): Translate<K> {
  const [en, setEn] = createSignal<Record<K, string>>();
  let loading: Promise<void> | undefined;
  const load = () => (loading ??= loadEnglish().then((d) => void setEn(() => d)));
  englishLoaders.push(load);
  if (dicts().en) void load();
  const dict = (): Record<K, string> => (lang() === 'en' ? (en() ?? id) : id);
  return Object.assign((key: K, params?: Record<string, string | number>) => fillIn(dict()[key], params), {
    maybe: (key: string, params?: Record<string, string | number>) => (Object.hasOwn(dict(), key) ? fillIn(dict()[key as K], params) : undefined),
  });
}

/** A `{ id, en }` label from the SOP tables and role list. */
export function lbl(label: { id: string; en: string }): string {
  return label[lang()];
}

/** A readable sentence for a problem: our own message for known codes, else the server's title. */
export function problemText(p: UiProblem): string {
  const pd = problemDicts();
  const known = (lang() === 'en' && pd.en ? pd.en : pd.id)[p.code as UiProblemCode];
  const base = known ?? p.title ?? p.code;
  const wait = p.retryAfterSeconds ? ` ${t('auth.wait', { time: duration(p.retryAfterSeconds * 1000) })}` : '';
  return base + wait;
}

/** Field-level messages from a validation problem, by field path. */
export function problemFields(p: UiProblem | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of p?.errors ?? []) out[e.path] ??= e.message;
  return out;
}

/** 90 s → "2 menit"; 3 700 s → "1 jam 2 menit". Rounds up: a wait is never shown shorter than it is. */
export function duration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 60_000) return t('time.sec', { n: Math.max(1, Math.ceil(abs / 1000)) });
  const minutes = Math.ceil(abs / 60_000);
  if (minutes < 60) return t('time.min', { n: minutes });
  if (minutes < 48 * 60) return t('time.hourMin', { h: Math.floor(minutes / 60), m: minutes % 60 });
  return t('time.day', { n: Math.floor(minutes / 1440) });
}

/**
 * For something that already happened (a refresh, a sync): "5 menit lalu", never "dalam 8 detik" when a clock signal
 * that ticks every few seconds lags the event it describes.
 */
export function ago(at: number, now: number = Date.now()): string {
  return relative(Math.min(at, now), now);
}

/** "dalam 3 menit" / "5 menit lalu" relative to `now`. */
export function relative(at: number, now: number = Date.now()): string {
  const diff = at - now;
  if (Math.abs(diff) < 5_000) return t('time.now');
  return diff > 0 ? t('time.in', { time: duration(diff) }) : t('time.ago', { time: duration(diff) });
}

const [zone, setZone] = createSignal<ZoneInfo | undefined>();
const [residentZone, setResidentZone] = createSignal<ZoneInfo | undefined>();

/** Times are shown in the office's zone (a tablet's clock may be set to anything), e.g. "23 Nov 2026, 08.15 WITA". */
export function setDisplayOffice(officeCode: string | undefined): void {
  setZone(officeCode ? officeZone(officeCode) : undefined);
}

/**
 * The office of the resident whose IKD lives on this phone (no staff session there): the resident's pages (account,
 * digital KTP, a blocked phone's notice) show times in that office's zone, not in whatever zone the phone is set to.
 */
export function setResidentOffice(officeCode: string | undefined): void {
  setResidentZone(officeCode ? officeZone(officeCode) : undefined);
}

/**
 * `officeCode` names the zone explicitly (a public page about another office's document); else the signed-in
 * office's, else the resident's office on this phone. Only a device that knows no office at all falls back to its own
 * zone, still named.
 */
export function dateTime(at: number | string, officeCode?: string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return String(at);
  const z = officeCode ? officeZone(officeCode) : (zone() ?? residentZone());
  const locale = lang() === 'id' ? 'id-ID' : 'en-GB';
  if (z) {
    try {
      return `${new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: z.iana }).format(d)} ${z.abbr}`;
    } catch {
      // a webview without time-zone data: fall back to the device's zone below
    }
  }
  return `${new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d)} ${deviceZoneLabel(d)}`;
}

/**
 * The device's own zone named as people in Indonesia say it (WIB/WITA/WIT), else as UTC±h: a time without a zone
 * is read in the reader's own zone, which may be another one.
 */
export function deviceZoneLabel(d: Date = new Date()): string {
  const minutes = -d.getTimezoneOffset();
  const named: Record<number, string> = { 420: 'WIB', 480: 'WITA', 540: 'WIT' };
  if (named[minutes]) return named[minutes];
  const abs = Math.abs(minutes);
  return `UTC${minutes < 0 ? '−' : '+'}${Math.floor(abs / 60)}${abs % 60 ? `:${String(abs % 60).padStart(2, '0')}` : ''}`;
}
