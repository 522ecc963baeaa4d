/**
 * Who works which service, for the home tiles and the tab bar, without loading the SOP tables (they carry the zod
 * input schemas, which the first screen does not need). services.test.ts checks these against the tables.
 */
import type { Role } from '../../../../schema/roles';

export const KTPEL_TITLE = { id: 'Penerbitan KTP-el', en: 'KTP-el card issuance' } as const;

/** Roles named in the KTP-el SOP table, plus admins and heads who follow its cases (the server's visibleTo). */
export const KTPEL_ROLES: readonly Role[] = ['front_office', 'resident', 'operator', 'admin', 'head_of_division', 'head_of_office'];

/** Staff who work or follow the IKD activation queue (the server's queue roles). */
export const IKD_QUEUE_ROLES: readonly Role[] = ['operator', 'front_office', 'admin', 'head_of_division', 'head_of_office'];
