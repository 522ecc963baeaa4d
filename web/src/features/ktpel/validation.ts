/**
 * Turns the SOP schema's zod issues into one readable message per form field, in the chosen language: what is
 * wrong with that field ("Nama ibu kandung wajib diisi", "Nomor seri blanko paling sedikit 4 karakter"), and for
 * NIK and KK numbers the full rules of schema/nik.ts (region, date, serial), loaded when a form is checked.
 */
import { z } from 'zod';
import { lang, t } from '../../i18n';
import { fieldLabel } from '../../i18n/fields';

/**
 * @example fieldErrors(KtpelSubmitInput, { nik: '12' }) // { nik: 'NIK harus 16 digit', reason: 'Pilih Alasan.' }
 */
export function fieldErrors(schema: z.ZodType, input: unknown): Record<string, string> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return {};
  const out: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? '_');
    if (out[key]) continue;
    out[key] = explain(issue, key, input);
  }
  return out;
}

/**
 * The schema's own "Indonesian / English" message when it has one; otherwise a sentence built from the issue's
 * kind and the field's label (zod's defaults are English only and say nothing of the field).
 */
function explain(issue: z.core.$ZodIssue, key: string, input: unknown): string {
  const parts = issue.message.split(' / ');
  if (parts.length === 2) return (lang() === 'id' ? parts[0] : parts[1]) ?? issue.message;
  const field = fieldLabel(key);
  const value = input && typeof input === 'object' ? (input as Record<string, unknown>)[key] : undefined;
  const blank = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
  switch (issue.code) {
    case 'invalid_type':
      return blank ? t('form.required', { field }) : t('form.invalidField', { field });
    case 'too_small':
      return blank || Number(issue.minimum) <= 1 ? t('form.required', { field }) : t('form.tooShort', { field, n: Number(issue.minimum) });
    case 'too_big':
      return t('form.tooLong', { field, n: Number(issue.maximum) });
    case 'invalid_value':
      return blank ? t('form.required', { field }) : t('form.choose', { field });
    case 'invalid_format':
      return blank ? t('form.required', { field }) : t('form.invalidField', { field });
    default:
      return t('form.invalidField', { field });
  }
}

/**
 * NIK and KK rules (region code, encoded date, serial) for the named fields that are otherwise well formed:
 * 1234567890123456 has 16 digits but no such region or date. schema/nik.ts carries the region table, so it is
 * loaded here, on first check, not with the first screen.
 */
export async function idNumberErrors(input: Record<string, unknown>, fields: { nik?: string[]; kk?: string[] }): Promise<Record<string, string>> {
  const { parseKk, parseNik } = await import('../../../../schema/nik');
  const out: Record<string, string> = {};
  for (const [kind, names] of [['nik', fields.nik ?? []], ['kk', fields.kk ?? []]] as const) {
    for (const name of names) {
      const value = input[name];
      if (typeof value !== 'string' || !/^\d{16}$/.test(value)) continue;
      const parsed = kind === 'nik' ? parseNik(value) : parseKk(value);
      if (!parsed.ok) out[name] = parsed.message[lang()];
    }
  }
  return out;
}

/** Names of an action's input fields, for rendering its inputs (e.g. reason, blankoSerial). */
export function inputFields(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/** The choices of an enum field (e.g. spoilReason), for a select instead of free text; undefined for other fields. */
export function enumOptions(schema: z.ZodType, field: string): string[] | undefined {
  if (!(schema instanceof z.ZodObject)) return undefined;
  let f = (schema.shape as Record<string, z.ZodType>)[field];
  if (f instanceof z.ZodOptional) f = f.unwrap() as z.ZodType;
  return f instanceof z.ZodEnum ? (f.options as string[]) : undefined;
}
