/**
 * Decoding of DICOM string values per Specific Character Set (0008,0005),
 * PS3.3 C.12.1.1.2 and PS3.5 6.1 / Annexes H-K, with TextDecoder only.
 *
 * ISO 2022 code extensions are handled here, not by TextDecoder's
 * iso-2022-jp: DICOM designates G0 and G1 independently and returns to the
 * initial designation at every value delimiter, control character and, in
 * PN, at "^" and "=" (PS3.5 6.1.2.5.3). Each run is decoded by the decoder of
 * its set: JIS X 0208/0212 by shifting to EUC-JP bytes, KS X 1001 via EUC-KR,
 * GB 2312 via GB18030.
 */
import type { PersonNameJson } from './json.js';

/** VRs whose values use the Specific Character Set; the others are the default repertoire. */
const CHARSET_VRS = new Set(['SH', 'LO', 'ST', 'LT', 'UC', 'UT', 'PN']);

type SetKind =
  | 'ascii' // ISO 646 (IR 6)
  | 'romaji' // JIS X 0201 Roman (IR 14): ¥ and ‾ instead of \ and ~
  | 'katakana' // JIS X 0201 Katakana (IR 13), one byte
  | 'jis0208' // JIS X 0208 (IR 87), two 7-bit bytes
  | 'jis0212' // JIS X 0212 (IR 159), two 7-bit bytes
  | 'ksc' // KS X 1001 (IR 149), two 8-bit bytes
  | 'gb2312' // GB 2312 (IR 58), two 8-bit bytes
  | 'single'; // a right half of an ISO 8859-like single-byte set

interface CodeElement {
  kind: SetKind;
  /** TextDecoder label for 'single' sets, or 'latin1' (decoded by hand: WHATWG maps iso-8859-1 to windows-1252). */
  label?: string;
}

/** Single-byte character sets: defined term → decoder label. */
const SINGLE_BYTE: Record<string, string> = {
  'ISO_IR 100': 'latin1',
  'ISO_IR 101': 'iso-8859-2',
  'ISO_IR 109': 'iso-8859-3',
  'ISO_IR 110': 'iso-8859-4',
  'ISO_IR 144': 'iso-8859-5',
  'ISO_IR 127': 'iso-8859-6',
  'ISO_IR 126': 'iso-8859-7',
  'ISO_IR 138': 'iso-8859-8',
  'ISO_IR 148': 'iso-8859-9',
  'ISO_IR 203': 'iso-8859-15',
  'ISO_IR 166': 'tis-620',
};

/** Whole-value decoders for the character sets without code extensions. */
const WHOLE_VALUE: Record<string, string> = {
  'ISO_IR 192': 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

/** ISO 2022 defined terms → what they designate (G0, G1) initially and by escape sequence. */
interface Iso2022Set {
  g0?: CodeElement;
  g1?: CodeElement;
  /** The escape sequence (bytes after ESC) that designates this set. */
  escapes: string[];
}

const ASCII: CodeElement = { kind: 'ascii' };

function iso2022Single(label: string, final: string): Iso2022Set {
  return { g0: ASCII, g1: { kind: 'single', label }, escapes: ['-' + final] };
}

const ISO_2022: Record<string, Iso2022Set> = {
  'ISO 2022 IR 6': { g0: ASCII, escapes: ['(B'] },
  'ISO 2022 IR 100': iso2022Single('latin1', 'A'),
  'ISO 2022 IR 101': iso2022Single('iso-8859-2', 'B'),
  'ISO 2022 IR 109': iso2022Single('iso-8859-3', 'C'),
  'ISO 2022 IR 110': iso2022Single('iso-8859-4', 'D'),
  'ISO 2022 IR 144': iso2022Single('iso-8859-5', 'L'),
  'ISO 2022 IR 127': iso2022Single('iso-8859-6', 'G'),
  'ISO 2022 IR 126': iso2022Single('iso-8859-7', 'F'),
  'ISO 2022 IR 138': iso2022Single('iso-8859-8', 'H'),
  'ISO 2022 IR 148': iso2022Single('iso-8859-9', 'M'),
  'ISO 2022 IR 203': iso2022Single('iso-8859-15', 'b'),
  'ISO 2022 IR 166': iso2022Single('tis-620', 'T'),
  // Value 1 = IR 13 makes G0 JIS X 0201 Roman; we decode its G0 as ASCII so
  // that "\" stays the value delimiter (as pydicom and DCMTK do).
  'ISO 2022 IR 13': { g0: ASCII, g1: { kind: 'katakana' }, escapes: [')I', '(J'] },
  'ISO 2022 IR 87': { g0: { kind: 'jis0208' }, escapes: ['$B'] },
  'ISO 2022 IR 159': { g0: { kind: 'jis0212' }, escapes: ['$(D'] },
  'ISO 2022 IR 149': { g1: { kind: 'ksc' }, escapes: ['$)C'] },
  'ISO 2022 IR 58': { g1: { kind: 'gb2312' }, escapes: ['$)A'] },
};

/** Every escape sequence DICOM defines, → (graphic set register, element). */
const ESCAPES: Record<string, { register: 0 | 1; element: CodeElement }> = {
  '(B': { register: 0, element: ASCII },
  '(J': { register: 0, element: { kind: 'romaji' } },
  ')I': { register: 1, element: { kind: 'katakana' } },
  '$B': { register: 0, element: { kind: 'jis0208' } },
  '$@': { register: 0, element: { kind: 'jis0208' } },
  '$(D': { register: 0, element: { kind: 'jis0212' } },
  '$)C': { register: 1, element: { kind: 'ksc' } },
  '$)A': { register: 1, element: { kind: 'gb2312' } },
  '-A': { register: 1, element: { kind: 'single', label: 'latin1' } },
  '-B': { register: 1, element: { kind: 'single', label: 'iso-8859-2' } },
  '-C': { register: 1, element: { kind: 'single', label: 'iso-8859-3' } },
  '-D': { register: 1, element: { kind: 'single', label: 'iso-8859-4' } },
  '-L': { register: 1, element: { kind: 'single', label: 'iso-8859-5' } },
  '-G': { register: 1, element: { kind: 'single', label: 'iso-8859-6' } },
  '-F': { register: 1, element: { kind: 'single', label: 'iso-8859-7' } },
  '-H': { register: 1, element: { kind: 'single', label: 'iso-8859-8' } },
  '-M': { register: 1, element: { kind: 'single', label: 'iso-8859-9' } },
  '-b': { register: 1, element: { kind: 'single', label: 'iso-8859-15' } },
  '-T': { register: 1, element: { kind: 'single', label: 'tis-620' } },
};

type Decoder = InstanceType<typeof TextDecoder>;
const decoders = new Map<string, Decoder>();
function decoder(label: string): Decoder {
  let d = decoders.get(label);
  if (d === undefined) {
    d = new TextDecoder(label);
    decoders.set(label, d);
  }
  return d;
}

/** Bytes as Latin-1 (ISO 8859-1 proper, C1 controls included). */
function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  if (end - start <= 64) {
    // Most values are short: a plain loop beats spreading into fromCharCode.
    for (let i = start; i < end; i++) out += String.fromCharCode(bytes[i]!);
    return out;
  }
  for (let i = start; i < end; i += 4096) {
    out += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, Math.min(end, i + 4096))));
  }
  return out;
}

function decodeWith(label: string, bytes: Uint8Array): string {
  return label === 'latin1' ? latin1(bytes) : decoder(label).decode(bytes);
}

/** Normalise a defined term: trim, and accept the common "ISO-IR 100"/"ISO IR 100" spellings. */
function normalise(term: string): string {
  const t = term.trim().toUpperCase();
  const m = /^ISO[ _-]?IR[ _-]?(\d+)$/.exec(t);
  return m ? `ISO_IR ${m[1]}` : t.replace(/^ISO[ _]2022[ _]IR[ _]?/, 'ISO 2022 IR ');
}

/** The terms of a Specific Character Set that this module does not know (to report, not to fail on). */
export function unknownCharsets(charsets: readonly string[]): string[] {
  return charsets.filter((c, i) => {
    const t = normalise(c);
    if (t === '' || t === 'ISO_IR 6') return false;
    if (t in SINGLE_BYTE || t in WHOLE_VALUE || t in ISO_2022) return false;
    // "ISO_IR 100" after value 1 is tolerated as its ISO 2022 form.
    return !(i > 0 && `ISO 2022 IR ${t.slice(7)}` in ISO_2022);
  });
}

export type CharsetWarning = (message: string) => void;

/**
 * Decode a string value (all values, still joined by "\") in the character
 * set of (0008,0005) `charsets` (its values; empty for the default
 * repertoire). VRs that do not use the Specific Character Set are decoded as
 * the default repertoire. Unknown character sets fall back to Latin-1 and
 * are reported through `warn`.
 */
export function decodeString(bytes: Uint8Array, charsets: readonly string[], vr: string, warn?: CharsetWarning): string {
  if (!CHARSET_VRS.has(vr) || charsets.length === 0) return defaultRepertoire(bytes);
  const first = normalise(charsets[0] ?? '');
  const iso2022 = charsets.length > 1 || first.startsWith('ISO 2022') || (first === '' && bytes.includes(0x1b));
  if (!iso2022) {
    const whole = WHOLE_VALUE[first];
    if (whole !== undefined) return decoder(whole).decode(bytes);
    const single = SINGLE_BYTE[first];
    if (single !== undefined) return decodeWith(single, bytes);
    if (first !== '' && first !== 'ISO_IR 6') warn?.(`unknown Specific Character Set "${charsets[0]}": decoded as Latin-1`);
    return latin1(bytes);
  }
  const unknown = unknownCharsets(charsets);
  if (unknown.length > 0) warn?.(`unknown Specific Character Set term(s) ${unknown.map((u) => `"${u}"`).join(', ')}: escape sequences to them decoded as Latin-1`);
  return decodeIso2022(bytes, first, vr === 'PN');
}

/** Default repertoire: ASCII; stray bytes above 0x7F read as Latin-1 rather than lost. */
function defaultRepertoire(bytes: Uint8Array): string {
  return latin1(bytes);
}

function initialState(first: string): [CodeElement, CodeElement | undefined] {
  const set = ISO_2022[first] ?? (SINGLE_BYTE[first] ? ISO_2022[`ISO 2022 IR ${first.slice(7)}`] : undefined);
  return [set?.g0 ?? ASCII, set?.g1];
}

function isDelimiter(b: number, pn: boolean): boolean {
  // "\" ends a value; control characters (CR, LF, FF, TAB...) end a line;
  // in PN, "^" and "=" end a component / component group.
  return b === 0x5c || (b < 0x20 && b !== 0x1b) || (pn && (b === 0x5e || b === 0x3d));
}

function decodeIso2022(bytes: Uint8Array, first: string, pn: boolean): string {
  const [initialG0, initialG1] = initialState(first);
  let g0 = initialG0;
  let g1 = initialG1;
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === 0x1b) {
      const escape = matchEscape(bytes, i + 1);
      if (escape === undefined) {
        out += '\u001b';
        i += 1;
        continue;
      }
      const { register, element } = ESCAPES[escape]!;
      if (register === 0) g0 = element;
      else g1 = element;
      i += 1 + escape.length;
      continue;
    }
    const element = b < 0x80 ? g0 : g1;
    if (element === undefined || (b < 0x80 && isDelimiter(b, pn) && (b < 0x20 || !isMultiByte(element)))) {
      // A delimiter in a single-byte G0 set, or a byte with no set designated.
      out += element === undefined ? latin1(bytes, i, i + 1) : String.fromCharCode(b);
      if (isDelimiter(b, pn)) {
        g0 = initialG0;
        g1 = initialG1;
      }
      i += 1;
      continue;
    }
    // A run: consecutive bytes of the same half (G0 or G1), up to a delimiter or ESC.
    let end = i;
    const high = b >= 0x80;
    while (end < bytes.length) {
      const c = bytes[end]!;
      if (c === 0x1b || c >= 0x80 !== high) break;
      if (!isMultiByte(element) && isDelimiter(c, pn)) break;
      if (isMultiByte(element) && c < 0x20) break;
      end += 1;
    }
    out += decodeRun(element, bytes.subarray(i, end));
    i = end;
  }
  return out;
}

function isMultiByte(element: CodeElement): boolean {
  return element.kind === 'jis0208' || element.kind === 'jis0212' || element.kind === 'ksc' || element.kind === 'gb2312';
}

function matchEscape(bytes: Uint8Array, at: number): string | undefined {
  for (const length of [2, 3]) {
    if (at + length > bytes.length) break;
    const candidate = String.fromCharCode(...bytes.subarray(at, at + length));
    if (candidate in ESCAPES) return candidate;
  }
  return undefined;
}

function decodeRun(element: CodeElement, run: Uint8Array): string {
  switch (element.kind) {
    case 'ascii':
      return latin1(run);
    case 'romaji':
      // 05/12 never reaches here (it is the value delimiter); 07/14 is the overline in JIS X 0201.
      return latin1(run).replace(/~/g, '\u203e');
    case 'katakana':
      return Array.from(run, (b) => (b >= 0xa1 && b <= 0xdf ? String.fromCharCode(0xff61 + b - 0xa1) : '\ufffd')).join('');
    case 'jis0208':
      return decoder('euc-jp').decode(run.map((b) => b | 0x80));
    case 'jis0212': {
      const euc = new Uint8Array(Math.ceil(run.length / 2) * 3);
      let n = 0;
      for (let k = 0; k + 1 < run.length; k += 2) {
        euc[n++] = 0x8f;
        euc[n++] = run[k]! | 0x80;
        euc[n++] = run[k + 1]! | 0x80;
      }
      return decoder('euc-jp').decode(euc.subarray(0, n));
    }
    case 'ksc':
      return decoder('euc-kr').decode(run);
    case 'gb2312':
      return decoder('gb18030').decode(run);
    case 'single':
      return decodeWith(element.label ?? 'latin1', run);
  }
}

/**
 * A decoded PN value (one value, not "\"-joined) as its three component
 * groups (PS3.18 F.2.2): Alphabetic, Ideographic, Phonetic; empty trailing
 * groups omitted.
 */
export function personNameGroups(decoded: string): PersonNameJson {
  const [alphabetic, ideographic, phonetic] = decoded.split('=');
  const name: PersonNameJson = {};
  if (alphabetic) name.Alphabetic = alphabetic;
  if (ideographic) name.Ideographic = ideographic;
  if (phonetic) name.Phonetic = phonetic;
  return name;
}

/** Decode PN bytes (possibly several "\"-separated values) to PS3.18 person names. */
export function decodePersonNames(bytes: Uint8Array, charsets: readonly string[], warn?: CharsetWarning): PersonNameJson[] {
  return decodeString(bytes, charsets, 'PN', warn)
    .split('\\')
    .map((value) => personNameGroups(value.replace(/[\0 ]+$/, '')));
}
