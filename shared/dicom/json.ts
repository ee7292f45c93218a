/**
 * The DICOM JSON Model (PS3.18 Annex F.2): how the index keeps each
 * instance's attributes and how DICOMweb returns them.
 */

/** Tag as eight upper-case hex digits, group then element: "00100010". */
export type TagKey = string;

export interface PersonNameJson {
  Alphabetic?: string;
  Ideographic?: string;
  Phonetic?: string;
}

export interface DicomJsonElement {
  vr: string;
  /** Strings, numbers, PersonNameJson or nested datasets (SQ), per F.2.3. */
  Value?: Array<string | number | PersonNameJson | DicomJsonDataset | null>;
  /**
   * Where the value's bytes are. Inside the index this is a reference
   * relative to the stored file: "bulk/<byteOffset>/<byteLength>". The HTTP layer turns
   * it into an absolute URL. For encapsulated pixel data the length covers
   * its items and the sequence delimiter.
   */
  BulkDataURI?: string;
  InlineBinary?: string;
}

export type DicomJsonDataset = Record<TagKey, DicomJsonElement>;
