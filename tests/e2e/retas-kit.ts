/** Fixtures of the RETAS browser tests: the office's JSON calls and an event taken up to its signed assignment letter. */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../schema/demo';
import { uuid7 } from '../../schema/ids';
import { account, baseUrl, newContext, signIn } from './helpers';

export interface Answer {
  status: number;
  json: Record<string, unknown>;
  /** The body as sent (a CSV report is not JSON). */
  text: string;
}

/** A JSON call from the page's context (its session cookie) with the Origin the CSRF check wants. */
export async function call(page: Page, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<Answer> {
  const res = await page.request.fetch(path, { method, headers: { origin: baseUrl(), 'content-type': 'application/json' }, ...(body === undefined ? {} : { data: JSON.stringify(body) }) });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // a CSV report or an empty body
  }
  return { status: res.status(), json, text };
}

/** One sync command as the page's user; its result. */
export async function push(page: Page, cmd: Record<string, unknown>): Promise<{ status: string; case?: { version: number } }> {
  const { json } = await call(page, 'POST', '/api/sync/push', { commands: [{ id: uuid7(), ...cmd }] });
  return (json.results as { status: string; case?: { version: number } }[])[0]!;
}

export interface SignedLetter {
  caseId: string;
  /** The case's version after the signature. */
  version: number;
  /** The link of the letter's QR (`/v/surat-tugas#t=…`). */
  verifyUrl: string;
  /** The office's demo field officer, named on the letter. */
  officerId: string;
  /** The head of division (proposes, forwards) and the head of office (approves, signs), each signed in on a tablet. */
  kabid: Page;
  kadis: Page;
  kabidCtx: BrowserContext;
  kadisCtx: BrowserContext;
}

/**
 * Steps 1–4 of the RETAS SOP from the office's side (their own screens are covered by the worker tests): the school
 * registered, the event proposed, approved, the letter forwarded naming the demo field officer, and signed.
 */
export async function eventWithSignedLetter(
  browser: Browser,
  office: string,
  school: { npsn: string; name: string; address: string; shortName: string },
  event: { date: string; expectedStudents: number; equipment: string[] },
): Promise<SignedLetter> {
  const kabidCtx = await newContext(browser);
  const kabid = await kabidCtx.newPage();
  await signIn(kabid, account('head_of_division', office));
  const kadisCtx = await newContext(browser);
  const kadis = await kadisCtx.newPage();
  await signIn(kadis, account('head_of_office', office));
  expect((await call(kabid, 'PUT', `/api/retas/schools/${school.npsn}`, { name: school.name, address: school.address, districtCode: `${office}.01` })).status).toBe(200);
  const caseId = uuid7();
  const input = { schoolNpsn: school.npsn, schoolName: school.shortName, date: event.date, startTime: '07:30', endTime: '14:00', expectedStudents: event.expectedStudents, officersWanted: 1, equipment: event.equipment };
  expect((await push(kabid, { type: 'create', caseId, service: 'retas', input })).status).toBe('applied');
  let v = (await push(kadis, { type: 'action', caseId, action: 'approve', baseVersion: 1, input: {} })).case!.version;
  const officerId = account('field_officer', office).id;
  v = (await push(kabid, { type: 'action', caseId, action: 'forward_letter', baseVersion: v, input: { officerIds: [officerId] } })).case!.version;
  const signed = await call(kadis, 'POST', `/api/retas/cases/${caseId}/letter/sign`, { password: DEMO_PASSWORD, version: v });
  expect(signed.status, signed.text).toBe(200);
  return { caseId, version: signed.json.version as number, verifyUrl: (signed.json.letter as { verifyUrl: string }).verifyUrl, officerId, kabid, kadis, kabidCtx, kadisCtx };
}
