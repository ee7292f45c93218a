/** A DICOMweb request that cannot be answered as asked: the HTTP status and a message naming the thing (UID, frame, media type). */
export class DicomWebError extends Error {
  override readonly name = 'DicomWebError';
  constructor(
    readonly status: 400 | 404 | 406 | 409 | 415 | 501 | 507,
    message: string,
  ) {
    super(message);
  }
}
