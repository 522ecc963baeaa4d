/** The browser-test stack's SQL route (worker/routes/test-sql.ts), shared with tests/e2e. */
export const TEST_SQL_PATH = '/api/test/sql';
export const TEST_SQL_HEADER = 'x-loket-test-key';
