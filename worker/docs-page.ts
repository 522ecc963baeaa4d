/** A self-contained HTML page that renders the OpenAPI document (no CDN: the API docs work offline and on locked-down networks). */

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

interface Operation { summary?: string; operationId?: string; security?: unknown[]; tags?: string[]; requestBody?: unknown; parameters?: unknown; responses?: Record<string, unknown> }

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
      const access = op.security && op.security.length === 0 ? 'public' : 'session cookie';
      return `<section><h2><span class="m ${esc(method)}">${esc(method)}</span> <code>${esc(path)}</code></h2><p>${esc(op.summary)}</p><p class="meta">operationId <code>${esc(op.operationId)}</code> · ${access}</p>${params}${body}${responses}</section>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(doc.info.title)} — API docs</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#1b1b1b}
section{border-top:1px solid #ddd;padding:.5rem 0}h2{font-size:1rem;margin:.3rem 0}.m{display:inline-block;min-width:4rem;font-weight:700}
.meta{color:#555;font-size:13px;margin:0}.GET{color:#0a6}.POST{color:#06c}.PATCH,.PUT{color:#a60}.DELETE{color:#c00}pre{background:#f6f6f6;padding:.5rem;overflow:auto;font-size:12px}</style></head>
<body><h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1><p>${esc(doc.info.description)}</p>
<p>Machine-readable: <a href="/api/openapi.json" download="loket-openapi.json">download /api/openapi.json</a> (OpenAPI 3.1; every operation has a stable <code>operationId</code> for generated clients).</p>
<h2>Authentication</h2>
<p>Operations marked <em>public</em> need nothing. The others need the <code>loket_session</code> cookie: staff get it from
<code>POST /api/auth/login</code> (username + password), residents from the IKD registration or sign-in (<code>POST /api/ikd/login</code>:
NIK + PIN + a signature of the bound device). Send it back as a cookie; it is HttpOnly and SameSite=Strict, ends after 30 minutes idle
or 12 hours, and <code>POST /api/auth/logout</code> revokes it. Every unsafe request (POST, PATCH, PUT, DELETE) under <code>/api</code> must
carry this site's <code>Origin</code> header (browsers send it), or it is refused with <code>403 csrf_rejected</code>.</p>
<h2>Problems</h2>
<p>Every refusal is <code>application/problem+json</code>: <code>{"type", "title", "status", "code", "detail"}</code>. Program against
<code>code</code>: it is stable (codes are added, never renamed); <code>title</code> and <code>detail</code> are for people and may change.
Each operation lists, per 4xx status, the codes it can answer, e.g. <code>401</code> <code>unauthenticated</code> (no session) or
<code>session_expired</code>, <code>403</code> <code>forbidden_role</code> (your role may not), <code>422</code> <code>validation_failed</code>
(the body or parameters break the contract; <code>detail</code> names the field), <code>429</code> <code>too_many_attempts</code> with a
<code>Retry-After</code> header.</p>
${rows}</body></html>`;
}
