/**
 * Media types as HTTP writes them (RFC 9110 8.3.1, 12.5.1): a Content-Type,
 * or the comma-separated ranges of an Accept header with their parameters
 * (quoted values may hold commas and semicolons, as in
 * `multipart/related; type="application/dicom"`) and q weights.
 */

export interface MediaType {
  /** Lower case, e.g. "multipart/related", "*\/*". */
  essence: string;
  /** Parameter names lower case; values unquoted, case kept (UIDs, boundaries). */
  params: Map<string, string>;
  /** Accept weight 0..1 (1 when absent). */
  q: number;
}

export class MediaTypeError extends Error {
  override readonly name = 'MediaTypeError';
}

/** One media type (a Content-Type value); undefined when empty. */
export function parseMediaType(text: string): MediaType | undefined {
  const [first] = splitTopLevel(text, ',');
  return first === undefined || first.trim() === '' ? undefined : parseOne(first);
}

/**
 * The ranges of an Accept header, best first (by q, then in the order given);
 * ranges with q=0 are refused ones and left out. An absent or empty header
 * accepts anything.
 */
export function parseAccept(header: string | undefined): MediaType[] {
  if (header === undefined || header.trim() === '') return [{ essence: '*/*', params: new Map(), q: 1 }];
  const ranges = splitTopLevel(header, ',')
    .filter((part) => part.trim() !== '')
    .map(parseOne);
  return ranges.filter((r) => r.q > 0).sort((a, b) => b.q - a.q);
}

/** Whether a range (which may be "*\/*" or "type/*") covers a concrete media type. */
export function rangeCovers(range: string, essence: string): boolean {
  if (range === '*/*' || range === essence) return true;
  return range.endsWith('/*') && essence.startsWith(range.slice(0, -1));
}

/** `type/subtype; name=value...` with values quoted where they must be. */
export function formatMediaType(essence: string, params: Record<string, string | undefined> = {}): string {
  const parts = [essence];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    parts.push(`${name}=${/^[A-Za-z0-9!#$&^_.+-]+$/.test(value) ? value : `"${value.replace(/(["\\])/g, '\\$1')}"`}`);
  }
  return parts.join('; ');
}

function parseOne(text: string): MediaType {
  const [head = '', ...rest] = splitTopLevel(text, ';');
  const essence = head.trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+*-]+\/[a-z0-9!#$&^_.+*-]+$/.test(essence)) throw new MediaTypeError(`"${head.trim()}" is not a media type (type/subtype)`);
  const params = new Map<string, string>();
  let q = 1;
  for (const raw of rest) {
    if (raw.trim() === '') continue;
    const eq = raw.indexOf('=');
    if (eq < 0) throw new MediaTypeError(`parameter "${raw.trim()}" of ${essence} has no value`);
    const name = raw.slice(0, eq).trim().toLowerCase();
    const value = unquote(raw.slice(eq + 1).trim());
    if (name === 'q') {
      q = Number(value);
      if (!(q >= 0 && q <= 1)) throw new MediaTypeError(`q=${value} of ${essence} is not a weight between 0 and 1`);
    } else {
      params.set(name, value);
    }
  }
  return { essence, params, q };
}

/** Split on a separator that is outside double quotes. */
function splitTopLevel(text: string, separator: ',' | ';'): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === separator && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) return value.slice(1, -1).replace(/\\(.)/g, '$1');
  return value;
}
