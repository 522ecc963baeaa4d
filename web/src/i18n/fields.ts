/**
 * Labels for what a person sees of a step's input, an event's detail or a form error: every field name and enum
 * value in Indonesian and English, never the key ("documentsSeen: true" reads "Dokumen diperiksa: Ya"). Secrets and
 * machine data (nonces, signatures, keys, tokens, PINs) are never shown.
 */
import { t, tryT } from './index';

/** Input members that are not for people: proof material or raw keys. */
export const HIDDEN_FIELDS = new Set(['nonce', 'signature', 'publicJwk', 'token', 'pin', 'activationPin', 'currentPin', 'newPin', 'commandId']);

/** A thumbprint or other long machine id, cut to what a person can compare by eye. */
const SHORTENED = new Set(['thumbprint', 'deviceId', 'slotId']);

/** Where an enum's value labels already live in the dictionaries, besides `value.<field>.<value>`. */
export const VALUE_PREFIXES: Record<string, string[]> = {
  reason: ['reason.', 'op.reissue.reason.'],
  reasonCode: ['op.reject.reason.'],
  reportedVia: ['op.block.via.'],
  channel: ['channel.'],
  route: ['ikd.route.'],
  kind: ['aduan.kind.'],
  subjectService: ['aduan.subject.'],
  privacy: ['aduan.privacy.'],
  parentsMarriage: ['birth.marriage.'],
  spoilReason: ['spoil.'],
};

/** The label of an enum value of `key`, if the dictionaries have one. */
export function valueLabel(key: string, value: string): string | undefined {
  for (const prefix of [`value.${key}.`, ...(VALUE_PREFIXES[key] ?? [])]) {
    const label = tryT(`${prefix}${value}`, '');
    if (label) return label;
  }
  return undefined;
}

/** The label of an input field; an unknown field reads "Data lain" rather than its key. */
export function fieldLabel(key: string): string {
  return tryT(`field.${key}`, t('field.other'));
}

/** A value as people read it: Ya/Tidak, the label of an enum value, a shortened id, or the text itself. */
export function fieldValue(key: string, value: unknown): string {
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (typeof value === 'string') {
    const label = valueLabel(key, value);
    if (label) return label;
    if (SHORTENED.has(key) && value.length > 14) return `${value.slice(0, 12)}…`;
    return value;
  }
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map((v) => fieldValue(key, v)).join(', ');
  return '';
}

/** The members of an input worth showing, labelled, in their order. */
export function describeInput(input: Record<string, unknown> | null | undefined): { key: string; label: string; value: string }[] {
  return Object.entries(input ?? {})
    .filter(([k, v]) => !HIDDEN_FIELDS.has(k) && v !== null && v !== undefined && typeof v !== 'object')
    .map(([key, v]) => ({ key, label: fieldLabel(key), value: fieldValue(key, v) }))
    .filter((f) => f.value !== '');
}
