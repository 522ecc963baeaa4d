// Node loader hook for scripts/openapi.mjs: answers `cloudflare:*` imports with empty stand-ins, so the Worker's
// Hono app can be imported in Node to print its OpenAPI document (nothing here runs a handler). A font the Worker
// embeds as bytes (wrangler's Data rule for .ttf) is an empty ArrayBuffer here.
import { register } from 'node:module';

const hooks = `
export async function resolve(specifier, context, next) {
  if (specifier.startsWith('cloudflare:')) return { url: 'loket-stub:' + specifier.slice(11), shortCircuit: true };
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (url.endsWith('.ttf')) return { format: 'module', shortCircuit: true, source: 'export default new ArrayBuffer(0);' };
  if (url.startsWith('loket-stub:')) {
    return { format: 'module', shortCircuit: true, source: 'export class EmailMessage {} export const env = {};' };
  }
  return next(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
