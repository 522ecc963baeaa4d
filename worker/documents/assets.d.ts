/** Binary modules bundled by wrangler's Data rule (wrangler.toml [[rules]]): the import is an ArrayBuffer. */
declare module '*.ttf' {
  const bytes: ArrayBuffer;
  export default bytes;
}
