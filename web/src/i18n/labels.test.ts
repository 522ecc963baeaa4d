// Every problem code, input field and enum value a person may see has words in Indonesian and English (issue 9).
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { PROBLEMS } from '../../../schema/problems';
import { WORKFLOWS } from '../../../schema/workflows';
import { en, enProblems } from './en';
import { HIDDEN_FIELDS, VALUE_PREFIXES } from './fields';
import { id, idProblems } from './id';
import { ikdEn, ikdId } from '../features/ikd/messages';
import { aduanEn, aduanId } from '../features/aduan/messages';
import { birthEn, birthId } from '../features/birth/messages';
import { retasEn, retasId } from '../features/retas/messages';
import { staffScreensEn, staffScreensId } from './staff-screens';

type Def = { type: string; shape?: Record<string, z.ZodType>; entries?: Record<string, string>; innerType?: z.ZodType; options?: z.ZodType[]; values?: unknown[] };
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Field name → the string values it may take (empty for free text, booleans and numbers). */
function fieldsOf(schema: z.ZodType, out = new Map<string, Set<string>>()): Map<string, Set<string>> {
  const def = defOf(schema);
  if (def.type === 'object') {
    for (const [key, member] of Object.entries(def.shape ?? {})) {
      const values = out.get(key) ?? new Set<string>();
      out.set(key, values);
      for (const v of valuesOf(member)) values.add(v);
    }
  } else if (def.type === 'union') {
    for (const option of def.options ?? []) fieldsOf(option, out);
  }
  return out;
}

function valuesOf(schema: z.ZodType): string[] {
  const def = defOf(schema);
  if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') return valuesOf(def.innerType!);
  if (def.type === 'enum') return Object.values(def.entries ?? {});
  if (def.type === 'literal') return (def.values ?? []).filter((v): v is string => typeof v === 'string');
  return [];
}

// The feature screens' own texts count (IKD, complaints, birth, staff screens): their fields are shown on those screens, which load
// them; the always-loaded dictionaries hold the rest.
const idTexts = [id, ikdId, aduanId, birthId, retasId, staffScreensId];
const enTexts = [en, ikdEn, aduanEn, birthEn, retasEn, staffScreensEn];
const has = (key: string) => idTexts.some((d) => Object.hasOwn(d, key)) && enTexts.some((d) => Object.hasOwn(d, key));

describe('labels for people', () => {
  it('every problem code in schema/problems.ts has an Indonesian and an English message', () => {
    const codes = Object.keys(PROBLEMS);
    expect(codes.filter((c) => !Object.hasOwn(idProblems, c))).toEqual([]);
    expect(codes.filter((c) => !Object.hasOwn(enProblems, c))).toEqual([]);
  });

  it('every input field of every SOP action has a label, and every enum value a label, in both languages', () => {
    const missing: string[] = [];
    const checked = new Set<string>();
    for (const wf of Object.values(WORKFLOWS)) {
      for (const [action, def] of Object.entries(wf.actions)) {
        for (const [field, values] of fieldsOf(def.input as z.ZodType)) {
          checked.add(field);
          if (HIDDEN_FIELDS.has(field)) continue;
          if (!has(`field.${field}`)) missing.push(`${wf.service}.${action}: field.${field}`);
          for (const value of values) {
            const prefixes = [`value.${field}.`, ...(VALUE_PREFIXES[field] ?? [])];
            if (!prefixes.some((p) => has(`${p}${value}`))) missing.push(`${wf.service}.${action}: ${field} = ${value}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
    // The walk must have reached the fields people see (a schema walker that finds nothing would pass vacuously).
    expect([...checked]).toEqual(expect.arrayContaining(['documentsSeen', 'direction', 'reportedVia', 'blankoSerial', 'reasonCode', 'channel']));
  });
});
