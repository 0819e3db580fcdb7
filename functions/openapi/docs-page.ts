// A self-contained HTML page listing the routes of the OpenAPI document (no external assets).

type Json = Record<string, unknown>;

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

function parameterRows(parameters: Json[]): string {
  if (parameters.length === 0) return '';
  const rows = parameters
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(String(p.name))}</code></td><td>${escapeHtml(String(p.in))}</td><td>${escapeHtml(String(p.description ?? ''))}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>parameter</th><th>in</th><th>description</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function responseList(responses: Record<string, Json>): string {
  const items = Object.entries(responses)
    .map(([status, r]) => {
      const types = Object.keys((r.content as Json | undefined) ?? {}).join(', ');
      return `<li><b>${escapeHtml(status)}</b> ${escapeHtml(String(r.description ?? ''))}${types ? ` <small>(${escapeHtml(types)})</small>` : ''}</li>`;
    })
    .join('');
  return `<ul>${items}</ul>`;
}

export function renderDocsPage(document: Json): string {
  const info = document.info as { title: string; version: string; description?: string };
  const sections: string[] = [];
  for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(methods)) {
      const auth = (op.security as unknown[] | undefined)?.length ? ' 🔒' : '';
      sections.push(
        `<section><h2><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code>${auth}</h2>` +
          `<p>${escapeHtml(String(op.summary ?? ''))}</p>${op.description ? `<p>${escapeHtml(String(op.description))}</p>` : ''}` +
          `${parameterRows((op.parameters as Json[] | undefined) ?? [])}${op.requestBody ? '<p>Body: JSON (see <a href="/openapi.json">openapi.json</a> for the schema).</p>' : ''}` +
          `${responseList(op.responses as Record<string, Json>)}</section>`,
      );
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}section{border-top:1px solid #ddd;padding:.5rem 0}
h2{font-size:1.05rem}.m{display:inline-block;min-width:4.5rem;padding:0 .4rem;border-radius:3px;color:#fff;font-size:.85rem;text-align:center}
.get{background:#2b7a3d}.post{background:#1d5fa8}.delete{background:#a82a1d}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.15rem .5rem;text-align:left}</style>
</head><body><h1>${escapeHtml(info.title)} <small>${escapeHtml(info.version)}</small></h1><p>${escapeHtml(info.description ?? '')}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Authenticate with <code>Authorization: Bearer &lt;token&gt;</code>.</p>
${sections.join('\n')}</body></html>`;
}
