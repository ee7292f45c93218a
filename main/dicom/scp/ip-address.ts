/**
 * IP addresses in one written form, so that a caller's address compares equal
 * to a configured one however each was written: IPv6 as RFC 5952 writes it
 * (lower case, no leading zeros, the longest run of zeros as ::, no zone), and an IPv4-mapped IPv6 address
 * (`::ffff:10.0.0.5`, how a dual-stack listener reports IPv4 callers) as IPv4.
 */
import { isIP } from 'node:net';

/** The canonical form of an IP literal, or undefined if `text` is not one. */
export function canonicalAddress(text: string): string | undefined {
  const address = text.trim().replace(/%.*$/, '');
  const family = isIP(address);
  if (family === 4) return address;
  if (family !== 6) return undefined;
  const groups = ipv6Groups(address.toLowerCase());
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  return rfc5952(groups);
}

/** Eight groups in RFC 5952 form: the longest run of two or more zero groups (the first of equals) becomes "::". */
function rfc5952(groups: number[]): string {
  let best = { at: -1, length: 1 };
  for (let at = 0; at < 8; ) {
    let end = at;
    while (end < 8 && groups[end] === 0) end++;
    if (end - at > best.length) best = { at, length: end - at };
    at = Math.max(end, at + 1);
  }
  const hex = (part: number[]) => part.map((g) => g.toString(16)).join(':');
  return best.at < 0 ? hex(groups) : `${hex(groups.slice(0, best.at))}::${hex(groups.slice(best.at + best.length))}`;
}

/** The eight 16-bit groups of a valid IPv6 literal (a trailing dotted IPv4 part counts as two). */
function ipv6Groups(address: string): number[] {
  const parts = (text: string): number[] => {
    if (text === '') return [];
    return text.split(':').flatMap((part) => {
      if (!part.includes('.')) return [parseInt(part, 16)];
      const [a, b, c, d] = part.split('.').map(Number) as [number, number, number, number];
      return [(a << 8) | b, (c << 8) | d];
    });
  };
  const [head = '', tail] = address.split('::');
  const before = parts(head);
  if (tail === undefined) return before;
  const after = parts(tail);
  return [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
}
