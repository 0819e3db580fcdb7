// On the deployed stack the page is served through the HTTP API, which buffers responses, so its
// live curves stream from the Function URL instead. The gateway tells the Lambda that URL in a
// request header (functions/http/gateway-guard.ts); the page reads it from a <meta> tag.
export const streamUrlMetaName = 'ldam-stream-url';

/** The header's URL if it is a plain https origin-and-path (no credentials, query or fragment). */
export function acceptedStreamUrl(header: string | undefined): string | undefined {
  if (header === undefined || header.length > 512) return undefined;
  let url: URL;
  try {
    url = new URL(header);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return undefined;
  if (url.search !== '' || url.hash !== '') return undefined;
  return url.href.replace(/\/+$/, '');
}

/** The page with the stream URL's <meta> tag, or unchanged without an accepted URL. */
export function withStreamUrl(html: string, header: string | undefined): string {
  const url = acceptedStreamUrl(header);
  if (url === undefined) return html;
  // URL.href percent-encodes quotes and angle brackets; escape & for the attribute anyway.
  const meta = `<meta name="${streamUrlMetaName}" content="${url.replaceAll('&', '&amp;')}">`;
  return html.replace('</head>', `${meta}\n</head>`);
}
