/**
 * `*` and `?` wildcard matching (PS3.4 C.2.2.2.4) without backtracking.
 *
 * A key is cut at its `*`s into segments: the first must start the value,
 * the last must end it, and each one between is placed at its leftmost
 * occurrence after the one before (leftmost leaves the most room for the
 * rest, so no other placement needs trying). Each segment is found with a
 * bit-parallel scan (Shift-And, `?` a position that takes any character),
 * so the value is read once: O(n · ⌈L/32⌉) for a value of n characters and
 * a longest segment of L, whatever the number of `*`s. A backtracking
 * regular expression took exponential time on keys like `*a*a*…*b`.
 *
 * Characters are code points, as a regular expression's `.` with the `u`
 * flag: `?` takes one whole character, even outside the BMP. Folding (case,
 * diacritics) is the caller's: both sides arrive folded.
 */

/** One run of the key between `*`s: its characters (code points, ANY for `?`). */
interface Segment {
  chars: number[];
  /** Per code point of the segment, the positions it may take (bit i of word i>>5), `?` positions included. */
  masks: Map<number, Uint32Array>;
  /** The positions any character may take: those of `?`. */
  any: Uint32Array;
}

export interface WildcardPattern {
  /** Runs between `*`s; a key without `*` has one, and `*` first or last leaves an empty one there. */
  segments: Segment[];
}

const ANY = -1;
const STAR = 0x2a;
const QUESTION = 0x3f;

export function compileWildcard(pattern: string): WildcardPattern {
  const points = codePoints(pattern);
  const runs: number[][] = [[]];
  for (const point of points) {
    if (point === STAR) runs.push([]);
    else runs[runs.length - 1]!.push(point === QUESTION ? ANY : point);
  }
  return { segments: runs.map(segment) };
}

/** Does the whole of `text` match the pattern? */
export function wildcardMatches(pattern: WildcardPattern, text: string): boolean {
  const value = codePoints(text);
  const { segments } = pattern;
  if (segments.length === 1) return value.length === segments[0]!.chars.length && matchesAt(segments[0]!, value, 0);
  // At least one `*`: the first segment is a prefix, the last a suffix (either may be empty).
  const first = segments[0]!;
  const last = segments[segments.length - 1]!;
  if (first.chars.length + last.chars.length > value.length) return false;
  if (!matchesAt(first, value, 0) || !matchesAt(last, value, value.length - last.chars.length)) return false;
  let from = first.chars.length;
  const until = value.length - last.chars.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const middle = segments[i]!;
    if (middle.chars.length === 0) continue;
    const at = leftmost(middle, value, from, until);
    if (at < 0) return false;
    from = at + middle.chars.length;
  }
  return true;
}

function segment(chars: number[]): Segment {
  const words = Math.max(1, Math.ceil(chars.length / 32));
  const any = new Uint32Array(words);
  chars.forEach((c, i) => {
    if (c === ANY) any[i >>> 5]! |= 1 << (i & 31);
  });
  const masks = new Map<number, Uint32Array>();
  chars.forEach((c, i) => {
    if (c === ANY) return;
    let mask = masks.get(c);
    if (!mask) masks.set(c, (mask = any.slice()));
    mask[i >>> 5]! |= 1 << (i & 31);
  });
  return { chars, masks, any };
}

function matchesAt(seg: Segment, value: number[], at: number): boolean {
  for (let i = 0; i < seg.chars.length; i++) {
    const c = seg.chars[i]!;
    if (c !== ANY && c !== value[at + i]) return false;
  }
  return true;
}

/**
 * Where `seg` first occurs wholly inside value[from, until), or -1. Shift-And:
 * bit i of `state` says the last i+1 characters read match the segment's first i+1.
 */
function leftmost(seg: Segment, value: number[], from: number, until: number): number {
  const length = seg.chars.length;
  const words = seg.any.length;
  const lastWord = (length - 1) >>> 5;
  const lastBit = 1 << ((length - 1) & 31);
  const state = new Uint32Array(words);
  for (let p = from; p < until; p++) {
    const mask = seg.masks.get(value[p]!) ?? seg.any;
    let carry = 1;
    for (let w = 0; w < words; w++) {
      const word = state[w]!;
      state[w] = ((word << 1) | carry) & mask[w]!;
      carry = word >>> 31;
    }
    if (state[lastWord]! & lastBit) return p - length + 1;
  }
  return -1;
}

function codePoints(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(ch.codePointAt(0)!);
  return out;
}
