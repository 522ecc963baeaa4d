/** Whether this browser may hold the app's IndexedDB at all, asked without loading Dexie (first visits skip it). */

/** False only when the browser can list its databases and 'loket' is not among them. */
export async function loketDbMayExist(): Promise<boolean> {
  try {
    if (typeof indexedDB?.databases !== 'function') return true;
    return (await indexedDB.databases()).some((d) => d.name === 'loket');
  } catch {
    return true;
  }
}
