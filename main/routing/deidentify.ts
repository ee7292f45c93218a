/**
 * PS3.15 E.1 Basic Application Level Confidentiality Profile applied to a
 * dataset, with the options of shared/routing/rules.ts: the table's actions
 * (basic-profile.ts) at every level of nesting, private attributes removed,
 * every instance-identifying UID replaced deterministically, Patient's Name
 * and ID replaced by a pseudonym of the original Patient ID, and the
 * de-identification recorded (0012,0062-0064; 0028,0303).
 *
 * The dataset goes through the project's own parser and writer (DICOM JSON
 * in between): every attribute is re-encoded, so text comes out ASCII, or
 * UTF-8 with Specific Character Set "ISO_IR 192" when any kept value is not
 * ASCII. Pixel Data is copied as it is, native or encapsulated; attributes
 * after it (trailing padding, digital signatures) are dropped.
 */
import { concatBytes } from '../../shared/bytes.js';
import { parseDataset } from '../../shared/dicom/dataset-parser.js';
import { encodeDataset } from '../../shared/dicom/dataset-writer.js';
import type { DicomJsonDataset, DicomJsonElement } from '../../shared/dicom/json.js';
import { transferSyntax, uidName } from '../../shared/dicom/uid-registry.js';
import { errorMessage } from '../../shared/error-message.js';
import type { DeidentifyAction, DeidentifyOption } from '../../shared/routing/rules.js';
import { BASIC_PROFILE, repeatingGroupRow, type ProfileRow } from './basic-profile.js';
import { patientPseudonym, replacementUid } from './pseudonyms.js';

/** The profile cannot clean pixels: an image whose pixels carry burned-in text is refused, with this in the reason. */
export class DeidentifyRefusal extends Error {
  override readonly name = 'DeidentifyRefusal';
}

const PATIENT_NAME = '00100010';
const PATIENT_ID = '00100020';
const SOP_INSTANCE_UID = '00080018';
const BURNED_IN_ANNOTATION = '00280301';
const PIXEL_DATA = '7FE00010';

/**
 * UI attributes that name a class, a syntax or a scheme, not an instance:
 * never replaced, whatever their value (PS3.15 E.1 replaces instance UIDs).
 */
const CLASS_UID_TAGS = new Set([
  '00020002', // Media Storage SOP Class UID
  '00020010', // Transfer Syntax UID
  '00020012', // Implementation Class UID
  '00080016', // SOP Class UID
  '0008001A', // Related General SOP Class UID
  '0008001B', // Original Specialized SOP Class UID
  '0008010C', // Coding Scheme UID
  '00080117', // Context UID
  '00080118', // Mapping Resource UID
  '00081150', // Referenced SOP Class UID
  '00041510', // Referenced SOP Class UID in File
  '00041512', // Referenced Transfer Syntax UID in File
]);

/** PS3.16 CID 7050 (De-identification Method), scheme DCM. */
const PROFILE_CODE = { value: '113100', meaning: 'Basic Application Confidentiality Profile' };
const OPTION_CODES: Record<DeidentifyOption, { value: string; meaning: string }> = {
  'clean-descriptors': { value: '113105', meaning: 'Clean Descriptors Option' },
  'retain-dates': { value: '113106', meaning: 'Retain Longitudinal Temporal Information Full Dates Option' },
  'retain-patient-characteristics': { value: '113108', meaning: 'Retain Patient Characteristics Option' },
  'retain-device-identity': { value: '113109', meaning: 'Retain Device Identity Option' },
  'retain-institution-identity': { value: '113112', meaning: 'Retain Institution Identity Option' },
};

/** Dummy values (action D) by VR: plausible, and never anybody's. */
const DUMMY: Record<string, string | number> = {
  AE: 'ANONYMOUS',
  AS: '000D',
  CS: 'ANONYMOUS',
  DA: '19000101',
  DS: 0,
  DT: '19000101000000',
  IS: 0,
  LO: 'ANONYMOUS',
  LT: 'ANONYMOUS',
  SH: 'ANONYMOUS',
  ST: 'ANONYMOUS',
  TM: '000000',
  UC: 'ANONYMOUS',
  UT: 'ANONYMOUS',
  FL: 0,
  FD: 0,
  SL: 0,
  SS: 0,
  UL: 0,
  US: 0,
};

export interface Deidentified {
  dataset: Uint8Array;
  sopInstanceUid: string;
}

/**
 * De-identify a dataset (no File Meta) in `transferSyntaxUid`, which must be
 * little endian and not deflated; the copy is in the same syntax. `label`
 * names the source in errors.
 */
export function deidentifyDataset(dataset: Uint8Array, transferSyntaxUid: string, action: DeidentifyAction, secret: Uint8Array, label: string): Deidentified {
  const syntax = transferSyntax(transferSyntaxUid);
  if (!syntax || !syntax.littleEndian || syntax.deflated) throw new Error(`${label}: de-identification rewrites little endian, non-deflated datasets, not ${uidName(transferSyntaxUid) ?? transferSyntaxUid}`);
  const json = parseDataset(dataset, { transferSyntaxUid, bulkDataThreshold: Infinity, textBulkDataThreshold: Infinity });
  const pixelData = json[PIXEL_DATA];
  const kept: DicomJsonDataset = {};
  for (const [tag, element] of Object.entries(json)) if (tag < PIXEL_DATA) kept[tag] = element;
  const out = deidentifyJson(kept, action.options ?? [], secret, label);
  let parts: Uint8Array[];
  try {
    parts = [encodeDataset(out, { explicitVr: syntax.explicitVr })];
  } catch (error) {
    throw new Error(`${label}: the de-identified dataset cannot be written: ${errorMessage(error)}`, { cause: error });
  }
  if (pixelData) parts.push(pixelDataElement(dataset, pixelData, syntax.explicitVr, label));
  return { dataset: concatBytes(parts), sopInstanceUid: firstString(out[SOP_INSTANCE_UID]) ?? '' };
}

/** The Pixel Data element as it is in the source: a new header and the value's bytes (fragments and delimiter included). */
function pixelDataElement(dataset: Uint8Array, element: DicomJsonElement, explicitVr: boolean, label: string): Uint8Array {
  const match = /^bulk\/(\d+)\/(\d+)$/.exec(element.BulkDataURI ?? '');
  if (!match) throw new Error(`${label}: Pixel Data has no value range (${element.BulkDataURI ?? 'empty'})`);
  const offset = Number(match[1]);
  const length = Number(match[2]);
  const encapsulated = dataset[offset] === 0xfe && dataset[offset + 1] === 0xff && dataset[offset + 2] === 0x00 && dataset[offset + 3] === 0xe0 && dataset[offset - 4] === 0xff && dataset[offset - 1] === 0xff;
  const header = new Uint8Array(explicitVr ? 12 : 8);
  const view = new DataView(header.buffer);
  view.setUint16(0, 0x7fe0, true);
  view.setUint16(2, 0x0010, true);
  if (explicitVr) {
    header[4] = element.vr.charCodeAt(0);
    header[5] = element.vr.charCodeAt(1);
    view.setUint32(8, encapsulated ? 0xffffffff : length, true);
  } else view.setUint32(4, length, true);
  return concatBytes([header, dataset.subarray(offset, offset + length)]);
}

/** The profile on a dataset in DICOM JSON (pure: the input is not changed). */
export function deidentifyJson(dataset: DicomJsonDataset, options: readonly DeidentifyOption[], secret: Uint8Array, label: string): DicomJsonDataset {
  if (firstString(dataset[BURNED_IN_ANNOTATION])?.toUpperCase() === 'YES') {
    throw new DeidentifyRefusal(`${label}: Burned In Annotation (0028,0301) is YES: identifying text in the pixels cannot be removed by the profile, so no de-identified copy is made`);
  }
  const context: Context = { options: new Set(options), secret };
  const out = deidentifyLevel(dataset, context);
  const pseudonym = patientPseudonym(secret, firstString(dataset[PATIENT_ID]) ?? '');
  out[PATIENT_NAME] = { vr: 'PN', Value: [{ Alphabetic: pseudonym }] };
  out[PATIENT_ID] = { vr: 'LO', Value: [pseudonym] };
  out['00120062'] = { vr: 'CS', Value: ['YES'] };
  const codes = [PROFILE_CODE, ...[...context.options].map((o) => OPTION_CODES[o]).sort((a, b) => a.value.localeCompare(b.value))];
  out['00120063'] = { vr: 'LO', Value: codes.map((c) => c.meaning.slice(0, 64)) };
  out['00120064'] = {
    vr: 'SQ',
    Value: codes.map((c) => ({ '00080100': { vr: 'SH', Value: [c.value] }, '00080102': { vr: 'SH', Value: ['DCM'] }, '00080104': { vr: 'LO', Value: [c.meaning] } })),
  };
  out['00280303'] = { vr: 'CS', Value: [context.options.has('retain-dates') ? 'UNMODIFIED' : 'REMOVED'] };
  return out;
}

interface Context {
  options: ReadonlySet<DeidentifyOption>;
  secret: Uint8Array;
}

type Outcome = 'keep' | 'remove' | 'empty' | 'dummy' | 'uid';

function deidentifyLevel(dataset: DicomJsonDataset, context: Context): DicomJsonDataset {
  const out: DicomJsonDataset = {};
  for (const [tag, element] of Object.entries(dataset)) {
    // Private attributes (odd groups) and retired group lengths (gggg,0000, stale once anything changes) go.
    if (parseInt(tag.slice(3, 4), 16) % 2 === 1 || tag.endsWith('0000')) continue;
    const outcome = outcomeOf(BASIC_PROFILE.get(tag) ?? repeatingGroupRow(tag), element.vr, context.options);
    const result = apply(tag, element, outcome, context);
    if (result) out[tag] = result;
  }
  return out;
}

/**
 * The table's action as an outcome for this VR. Of a combined action the
 * one keeping the IOD valid is taken (D for a value Type 1 may need, Z for
 * Type 2); a sequence is emptied rather than filled with dummies, except
 * where the table keeps its structure (D, U*), which are walked instead.
 * C (clean) removes or empties as the basic action does: free text cannot be
 * cleaned reliably, so the descriptors go.
 */
function outcomeOf(row: ProfileRow | undefined, vr: string, options: ReadonlySet<DeidentifyOption>): Outcome {
  if (row === undefined) return vr === 'UI' ? 'uid' : 'keep';
  for (const [option, action] of Object.entries(row.options ?? {})) {
    if (action === 'K' && options.has(option as DeidentifyOption)) return vr === 'UI' ? 'uid' : 'keep';
  }
  const action = row.basic;
  if (action === 'K' || action === 'X/Z/U*') return vr === 'UI' ? 'uid' : 'keep';
  if (action === 'U') return 'uid';
  if (vr === 'SQ') return action === 'D' ? 'keep' : action.includes('Z') ? 'empty' : 'remove';
  if (action.includes('D')) return 'dummy';
  if (action.includes('Z')) return 'empty';
  return 'remove';
}

function apply(tag: string, element: DicomJsonElement, outcome: Outcome, context: Context): DicomJsonElement | undefined {
  switch (outcome) {
    case 'remove':
      return undefined;
    case 'empty':
      return element.vr === 'SQ' ? { vr: 'SQ', Value: [] } : { vr: element.vr };
    case 'dummy':
      return dummyOf(element);
    case 'uid':
      return element.vr === 'UI' && !CLASS_UID_TAGS.has(tag) ? { vr: 'UI', ...(element.Value ? { Value: element.Value.map((v) => (typeof v === 'string' ? uidFor(v, context) : v)) } : {}) } : element;
    case 'keep':
      if (element.vr !== 'SQ') return element;
      return { vr: 'SQ', Value: (element.Value ?? []).map((item) => (item !== null && typeof item === 'object' ? deidentifyLevel(item as DicomJsonDataset, context) : item)) };
  }
}

/** A UID of the registry (a SOP class, a well-known instance, a coding scheme) is kept; any other is replaced. */
function uidFor(uid: string, context: Context): string {
  return uidName(uid) !== undefined ? uid : replacementUid(context.secret, uid);
}

function dummyOf(element: DicomJsonElement): DicomJsonElement {
  const { vr } = element;
  if (vr === 'PN') return { vr, Value: [{ Alphabetic: 'ANONYMOUS' }] };
  const dummy = DUMMY[vr];
  // Binary values have no meaningful dummy: emptied.
  return dummy === undefined ? { vr } : { vr, Value: [dummy] };
}

function firstString(element: DicomJsonElement | undefined): string | undefined {
  const value = element?.Value?.[0];
  return typeof value === 'string' ? value : undefined;
}
