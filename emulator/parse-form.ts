// application/x-www-form-urlencoded as STS reads it: `+` and `%20` both mean space (docs/reference/aws-behaviour.md §6.2).

/** Decode a form/query string; null when a percent escape is malformed. */
export function parseForm(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    try {
      const name = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
      out[name] = decodeURIComponent((eq < 0 ? '' : part.slice(eq + 1)).replace(/\+/g, ' '));
    } catch {
      return null;
    }
  }
  return out;
}
