/**
 * The public checkers' own small IndexedDB ('loket-checker', raw API, no Dexie): the cached office lists (office
 * keys, blocked devices, birth revocation lists) and the nonces already accepted. Opening Dexie's app database cost
 * the checker's first screen over a second of scripting on a slow phone; this store opens in a few milliseconds.
 * Checkers installed before kept these rows in the app database ('loket', tables ktpLists, birthLists, ktpNonces):
 * they are copied here once, so an offline checker keeps its lists across the update.
 */

/** A cached list: 'jwks', 'blocked', or `crl:<office>` (a birth-certificate revocation list). */
export interface CheckerListRow {
  name: string;
  value: unknown;
  fetchedAt: number;
  /** blocked list only: when the server read it from the database */
  generatedAt?: number;
}

export interface CheckerNonceRow {
  key: string;
  expiresAt: number;
}

const DB_NAME = 'loket-checker';
const LEGACY_DB = 'loket';
/** Row of the lists store that says the copy from the app database was made (its `name` is no list's name). */
const MIGRATED = '#migrated';

/** Which of the app database's list rows belong to the checkers (its birthLists also hold the partner form's lists). */
export function isCheckerList(name: string): boolean {
  return name === 'jwks' || name === 'blocked' || name.startsWith('crl:');
}

/**
 * The rows to write when copying the app database's lists here: checker lists only, and only where this store has
 * none or an older copy (a list fetched since the update is never replaced by the old one).
 */
export function listsToCopy(legacy: readonly CheckerListRow[], current: ReadonlyMap<string, number>): CheckerListRow[] {
  const newest = new Map<string, CheckerListRow>();
  for (const row of legacy) {
    if (!isCheckerList(row.name) || typeof row.fetchedAt !== 'number') continue;
    const seen = newest.get(row.name);
    if (!seen || seen.fetchedAt < row.fetchedAt) newest.set(row.name, row);
  }
  return [...newest.values()].filter((row) => (current.get(row.name) ?? -Infinity) < row.fetchedAt);
}

const done = <T>(req: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
const finished = (tx: IDBTransaction) =>
  new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new DOMException('transaction aborted', 'AbortError'));
  });

/** Opens the app database only if it exists (never creates it: Dexie would then meet a database without its tables). */
async function openLegacy(): Promise<IDBDatabase | undefined> {
  try {
    if (typeof indexedDB.databases === 'function' && !(await indexedDB.databases()).some((d) => d.name === LEGACY_DB)) return undefined;
  } catch {
    // cannot list: try to open, and undo the creation if it did not exist
  }
  return new Promise((resolve) => {
    const req = indexedDB.open(LEGACY_DB);
    // Called only when the database did not exist: aborting the upgrade leaves nothing behind.
    req.onupgradeneeded = () => req.transaction?.abort();
    req.onsuccess = () => {
      // Dexie in another tab may want to upgrade it: step aside at once.
      req.result.onversionchange = () => req.result.close();
      resolve(req.result);
    };
    req.onerror = () => resolve(undefined);
    req.onblocked = () => resolve(undefined);
  });
}

/** What an installed checker kept in the app database: its list rows and nonces (empty when it has none). */
async function readLegacy(): Promise<{ lists: CheckerListRow[]; nonces: CheckerNonceRow[] }> {
  const legacy = await openLegacy();
  if (!legacy) return { lists: [], nonces: [] };
  try {
    const stores = ['ktpLists', 'birthLists', 'ktpNonces'].filter((s) => legacy.objectStoreNames.contains(s));
    if (stores.length === 0) return { lists: [], nonces: [] };
    const tx = legacy.transaction(stores, 'readonly');
    const all = (s: string) => (stores.includes(s) ? done(tx.objectStore(s).getAll()) : Promise.resolve([]));
    const [ktp, birth, nonces] = await Promise.all([all('ktpLists'), all('birthLists'), all('ktpNonces')]);
    return { lists: [...ktp, ...birth] as CheckerListRow[], nonces: nonces as CheckerNonceRow[] };
  } finally {
    legacy.close();
  }
}

/** Copies the installed checker's rows from the app database, once; later runs see the marker and skip it. */
async function migrate(db: IDBDatabase): Promise<void> {
  const marker = await done(db.transaction('lists', 'readonly').objectStore('lists').get(MIGRATED));
  if (marker) return;
  const legacy = await readLegacy();
  const tx = db.transaction(['lists', 'nonces'], 'readwrite');
  const lists = tx.objectStore('lists');
  const nonces = tx.objectStore('nonces');
  const current = new Map<string, number>();
  for (const row of (await done(lists.getAll())) as CheckerListRow[]) current.set(row.name, row.fetchedAt);
  for (const row of listsToCopy(legacy.lists, current)) lists.put(row);
  // A nonce seen before the update stays seen (put: the same nonce recorded twice is one record).
  for (const n of legacy.nonces) if (typeof n.key === 'string' && typeof n.expiresAt === 'number') nonces.put({ key: n.key, expiresAt: n.expiresAt });
  lists.put({ name: MIGRATED, value: true, fetchedAt: Date.now() });
  await finished(tx);
}

let opening: Promise<IDBDatabase> | undefined;

/** The checkers' database, created and filled from the app database on first use. */
function checkerDb(): Promise<IDBDatabase> {
  opening ??= (async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore('lists', { keyPath: 'name' });
        req.result.createObjectStore('nonces', { keyPath: 'key' }).createIndex('expiresAt', 'expiresAt');
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    // A later version of this store (another tab after an update) needs this connection closed.
    db.onversionchange = () => {
      db.close();
      opening = undefined;
    };
    await migrate(db);
    return db;
  })();
  opening.catch(() => (opening = undefined));
  return opening;
}

export async function getList(name: string): Promise<CheckerListRow | undefined> {
  const db = await checkerDb();
  return (await done(db.transaction('lists', 'readonly').objectStore('lists').get(name))) as CheckerListRow | undefined;
}

export async function getLists(names: readonly string[]): Promise<(CheckerListRow | undefined)[]> {
  const store = (await checkerDb()).transaction('lists', 'readonly').objectStore('lists');
  return (await Promise.all(names.map((n) => done(store.get(n))))) as (CheckerListRow | undefined)[];
}

export async function putList(row: CheckerListRow): Promise<void> {
  const tx = (await checkerDb()).transaction('lists', 'readwrite');
  tx.objectStore('lists').put(row);
  await finished(tx);
}

/**
 * Records a nonce unless it is already there, in one transaction (check and record are one step, so two scans of
 * the same QR at once cannot both pass); nonces expired by `now` are dropped first. True when it was new.
 */
export async function claimNonce(key: string, expiresAt: number, now: number): Promise<boolean> {
  const tx = (await checkerDb()).transaction('nonces', 'readwrite');
  const store = tx.objectStore('nonces');
  const result = new Promise<boolean>((resolve, reject) => {
    const purge = store.index('expiresAt').openCursor(IDBKeyRange.upperBound(now, true));
    purge.onsuccess = () => {
      const cursor = purge.result;
      if (cursor) {
        cursor.delete();
        cursor.continue();
        return;
      }
      const add = store.add({ key, expiresAt });
      add.onsuccess = () => resolve(true);
      add.onerror = (e) => {
        if (add.error?.name !== 'ConstraintError') return reject(add.error);
        // Seen before: the answer, not a failure of the transaction (the purge above still commits).
        e.preventDefault();
        e.stopPropagation();
        resolve(false);
      };
    };
    purge.onerror = () => reject(purge.error);
  });
  const [fresh] = await Promise.all([result, finished(tx)]);
  return fresh;
}
