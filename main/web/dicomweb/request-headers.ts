/** The request headers DICOMweb negotiation reads, parsed; a malformed one is a 400 that quotes it. */
import { DicomWebError } from './dicomweb-error.js';
import { MediaTypeError, parseAccept, parseMediaType, type MediaType } from './media-type.js';

export function acceptOf(request: Request): MediaType[] {
  try {
    return parseAccept(request.headers.get('accept') ?? undefined);
  } catch (error) {
    if (error instanceof MediaTypeError) throw new DicomWebError(400, `Accept header: ${error.message}`);
    throw error;
  }
}

export function contentTypeOf(request: Request): MediaType | undefined {
  try {
    return parseMediaType(request.headers.get('content-type') ?? '');
  } catch (error) {
    if (error instanceof MediaTypeError) throw new DicomWebError(400, `Content-Type header: ${error.message}`);
    throw error;
  }
}
