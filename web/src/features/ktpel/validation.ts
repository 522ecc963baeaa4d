/** Turns the SOP schema's zod issues into one readable message per form field, in the chosen language. */
import { z } from 'zod';
import { lang, t } from '../../i18n';

/**
 * Messages in schema/ are written "Indonesian / English"; pick the user's half. Zod's own defaults
 * (English only) become a generic "check this field" in the chosen language.
 * @example fieldErrors(KtpelSubmitInput, { nik: '12' }) // { nik: 'NIK harus 16 digit' , reason: '…' }
 */
export function fieldErrors(schema: z.ZodType, input: unknown): Record<string, string> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return {};
  const out: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? '_');
    if (out[key]) continue;
    out[key] = localize(issue.message);
  }
  return out;
}

function localize(message: string): string {
  const parts = message.split(' / ');
  if (parts.length === 2) return (lang() === 'id' ? parts[0] : parts[1]) ?? message;
  return t('form.invalid');
}

/** Names of an action's input fields, for rendering its inputs (e.g. reason, blankoSerial). */
export function inputFields(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}
