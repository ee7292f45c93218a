import { formatTag } from './data-dictionary.js';

/** A DICOM stream that cannot be parsed; the message names the tag and the byte offset. */
export class DicomParseError extends Error {
  override readonly name = 'DicomParseError';
  /** Byte offset in the stored file (the parser's baseOffset included). */
  readonly offset: number;
  /** "(gggg,eeee)" of the element being parsed, when there is one. */
  readonly tag?: string;
  /** What is wrong, without where: short enough for a 64-character DIMSE Error Comment. */
  readonly reason: string;

  constructor(reason: string, offset: number, tag?: number) {
    const where = tag === undefined ? `at offset ${offset}` : `in ${formatTag(tag)} at offset ${offset}`;
    super(`DICOM parse error ${where}: ${reason}`);
    this.reason = reason;
    this.offset = offset;
    if (tag !== undefined) this.tag = formatTag(tag);
  }
}
