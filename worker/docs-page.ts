/** A self-contained HTML page that renders the OpenAPI document (no CDN: the API docs work offline and on locked-down networks). */

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

interface Operation { summary?: string; tags?: string[]; requestBody?: unknown; parameters?: unknown; responses?: Record<string, unknown> }

export function renderDocs(doc: { info: { title: string; version: string; description?: string }; paths?: object }): string {
  const ops = Object.entries((doc.paths ?? {}) as Record<string, Record<string, Operation>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );
  const rows = ops
    .map(({ path, method, op }) => {
      const statuses = Object.keys(op.responses ?? {}).join(', ');
      const body = op.requestBody ? `<details><summary>Request body</summary><pre>${esc(JSON.stringify(op.requestBody, null, 2))}</pre></details>` : '';
      const params = op.parameters ? `<details><summary>Parameters</summary><pre>${esc(JSON.stringify(op.parameters, null, 2))}</pre></details>` : '';
      const responses = `<details><summary>Responses: ${esc(statuses)}</summary><pre>${esc(JSON.stringify(op.responses, null, 2))}</pre></details>`;
      return `<section><h2><span class="m ${esc(method)}">${esc(method)}</span> <code>${esc(path)}</code></h2><p>${esc(op.summary)}</p>${params}${body}${responses}</section>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(doc.info.title)} — API docs</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#1b1b1b}
section{border-top:1px solid #ddd;padding:.5rem 0}h2{font-size:1rem;margin:.3rem 0}.m{display:inline-block;min-width:4rem;font-weight:700}
.GET{color:#0a6}.POST{color:#06c}.PATCH,.PUT{color:#a60}.DELETE{color:#c00}pre{background:#f6f6f6;padding:.5rem;overflow:auto;font-size:12px}</style></head>
<body><h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1><p>${esc(doc.info.description)}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). Errors are <code>application/problem+json</code> with a stable <code>code</code>.</p>
${rows}</body></html>`;
}
