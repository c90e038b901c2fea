// netlify.toml's headers as Netlify itself reads them: its own parser (@netlify/headers-parser,
// the package Netlify's build and CLI use), matched against a request path.
import { join } from 'node:path';
import { parseAllHeaders } from '@netlify/headers-parser';

// header name (lower case) -> [{ rule, value }] for every rule whose `for` matches `path`.
export async function netlifyHeaders(root) {
  const { headers, errors } = await parseAllHeaders({
    headersFiles: [], netlifyConfigPath: join(root, 'netlify.toml'), configHeaders: [], minimal: false,
  });
  if (errors.length) throw new Error(errors.map((e) => e.message).join('\n'));
  return (path) => {
    const found = {};
    for (const rule of headers) {
      if (!rule.forRegExp.test(path)) continue;
      for (const [name, value] of Object.entries(rule.values)) {
        (found[name.toLowerCase()] ||= []).push({ rule: rule.for, value });
      }
    }
    return found;
  };
}

// What a response carries: every matching rule's headers; a header set by two rules is sent
// with both values, as a CDN may (the tests require that no header is set twice).
export function responseHeaders(matches) {
  return Object.fromEntries(Object.entries(matches).map(([name, list]) => [name, list.map((m) => m.value).join(', ')]));
}

// netlify.toml's redirects as Netlify reads them (@netlify/redirect-parser): path -> the rule
// that sends it elsewhere, or null. Netlify matches with or without the trailing slash.
export async function netlifyRedirects(root) {
  const { parseAllRedirects } = await import('@netlify/redirect-parser');
  const { redirects, errors } = await parseAllRedirects({
    redirectsFiles: [], netlifyConfigPath: join(root, 'netlify.toml'), configRedirects: [], minimal: false,
  });
  if (errors.length) throw new Error(errors.map((e) => e.message).join('\n'));
  const bare = (path) => (path.length > 1 ? path.replace(/\/$/, '') : path);
  return (path) => redirects.find((r) => bare(r.from) === bare(path)) || null;
}
