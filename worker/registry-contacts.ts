/** Adapts the registry to what the SOP engine needs about a resident: home office and contact data. */
import type { EngineContext } from './engine';

export function registryContacts(db: D1Database): EngineContext['residents'] {
  return {
    async contacts(nik) {
      const row = await db
        .prepare('SELECT office_code, email, phone FROM residents WHERE nik = ?')
        .bind(nik)
        .first<{ office_code: string; email: string | null; phone: string | null }>();
      return row ? { officeCode: row.office_code, email: row.email, phone: row.phone } : null;
    },
  };
}
