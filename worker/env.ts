/** Bindings and configuration the worker receives (wrangler.toml, .dev.vars, Worker secrets). */
export interface Env {
  DB: D1Database;
  ASSETS: Fetcher;
  /** R2: attachments and signed documents (keys birth/…, documents/…). */
  FILES: R2Bucket;
  EMAIL?: SendEmail;
  ENVIRONMENT: 'development' | 'test' | 'production';
  MAIL_FROM: string;
  PUBLIC_ORIGIN: string;
  /** Secret mixed into every password/PIN hash; never stored in D1. */
  PEPPER: string;
  /** JSON array of private JWKs (ES256, each with kid); the first signs. */
  OFFICE_SIGNING_KEYS?: string;
  /** JSON array of {kid, secret} HMAC keys for the audit log; the first stamps and seals. Never stored in D1. */
  AUDIT_KEYS: string;
  /** Signed checkpoints of the audit chain, outside the database they protect. */
  AUDIT_ANCHORS: R2Bucket;
  /** WhatsApp Cloud API; when absent outside production the dev mailbox records messages. */
  WA_TOKEN?: string;
  WA_PHONE_NUMBER_ID?: string;
  /**
   * 'cron' leaves sending to the cron alone (the worker tests set it, to read queued messages before delivery);
   * unset, messages go out right after the write that queued them, and the cron retries what failed.
   */
  DELIVERY?: 'cron';
  /** Complaints (issue 11): files (attachments) in R2; the office that WhatsApp and inbound email complaints go to. */
  ADUAN_OFFICE?: string;
  /** WhatsApp Cloud API webhook: the app secret that signs POSTs (X-Hub-Signature-256) and the GET handshake token. */
  WA_APP_SECRET?: string;
  WA_VERIFY_TOKEN?: string;
  /** Electronic signature (TTE) of documents: `local` (office key, default) or `bsre` (BSrE Esign API v2). */
  TTE_PROVIDER?: 'local' | 'bsre';
  /** BSrE Esign API base URL (reachable from the office network, see README), client credentials, timeout. */
  BSRE_BASE_URL?: string;
  BSRE_CLIENT_ID?: string;
  BSRE_CLIENT_SECRET?: string;
  BSRE_TIMEOUT_MS?: string;
  /** Only the browser-test stack sets it (with ENVIRONMENT=test): enables routes/test-sql.ts. Never in production. */
  TEST_SQL_KEY?: string;
}

export type AppEnv = { Bindings: Env; Variables: { requestId: string; session?: import('./middleware/session').Session } };
