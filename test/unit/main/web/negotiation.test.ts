/**
 * Accept headers as DICOMweb clients write them, and what each resource
 * answers for a stored transfer syntax: stored, decoded, or nothing (406).
 */
import { describe, expect, it } from 'vitest';
import { formatMediaType, MediaTypeError, parseAccept, parseMediaType } from '../../../../main/web/dicomweb/media-type.js';
import { acceptsDicomJson, bulkForm, frameForm, instanceForm, renderedFormat } from '../../../../main/web/dicomweb/negotiation.js';

const EXPLICIT = '1.2.840.10008.1.2.1';
const IMPLICIT = '1.2.840.10008.1.2';
const JPEG_LS = '1.2.840.10008.1.2.4.80';
const RLE = '1.2.840.10008.1.2.5';
const MPEG2 = '1.2.840.10008.1.2.4.100';

describe('media types', () => {
  it('parses quoted parameters holding separators, q weights, and orders by preference', () => {
    const ranges = parseAccept('image/png;q=0.5, multipart/related; type="application/dicom"; transfer-syntax=1.2.840.10008.1.2.1, image/gif;q=0');
    expect(ranges.map((r) => r.essence)).toEqual(['multipart/related', 'image/png']);
    expect(ranges[0]!.params.get('type')).toBe('application/dicom');
    expect(ranges[0]!.params.get('transfer-syntax')).toBe(EXPLICIT);
    const quoted = parseMediaType('multipart/related; type="a/b; c=d, e"; boundary="x y"')!;
    expect([quoted.params.get('type'), quoted.params.get('boundary')]).toEqual(['a/b; c=d, e', 'x y']);
  });

  it('treats a missing Accept as */* and refuses nonsense with a message naming it', () => {
    expect(parseAccept(undefined).map((r) => r.essence)).toEqual(['*/*']);
    expect(() => parseAccept('dicom')).toThrow(MediaTypeError);
    expect(() => parseAccept('image/png; q=2')).toThrow(/q=2/);
  });

  it('quotes parameter values only when they need it', () => {
    expect(formatMediaType('multipart/related', { type: 'application/dicom', boundary: 'abc123' })).toBe('multipart/related; type="application/dicom"; boundary=abc123');
    expect(formatMediaType('application/dicom', { 'transfer-syntax': EXPLICIT })).toBe(`application/dicom; transfer-syntax=${EXPLICIT}`);
  });
});

describe('instances (application/dicom)', () => {
  const form = (accept: string | undefined, stored: string, single = false) => instanceForm(parseAccept(accept), stored, single);

  it('sends the stored file for transfer-syntax=*, the stored syntax, or no parameter', () => {
    expect(form('multipart/related; type="application/dicom"; transfer-syntax=*', JPEG_LS)).toEqual({ kind: 'stored', multipart: true });
    expect(form(`multipart/related; type="application/dicom"; transfer-syntax=${JPEG_LS}`, JPEG_LS)).toEqual({ kind: 'stored', multipart: true });
    expect(form('multipart/related; type="application/dicom"', JPEG_LS)).toEqual({ kind: 'stored', multipart: true });
    expect(form(undefined, JPEG_LS)).toEqual({ kind: 'stored', multipart: true });
  });

  it('converts to Explicit VR Little Endian only when asked and decodable; otherwise nothing', () => {
    expect(form(`multipart/related; type="application/dicom"; transfer-syntax=${EXPLICIT}`, JPEG_LS)).toEqual({ kind: 'explicit-le', multipart: true });
    expect(form(`multipart/related; type="application/dicom"; transfer-syntax=${EXPLICIT}`, MPEG2)).toBeUndefined();
    expect(form(`multipart/related; type="application/dicom"; transfer-syntax=${JPEG_LS}`, EXPLICIT)).toBeUndefined();
    expect(form('multipart/related; type="application/dicom+xml"', EXPLICIT)).toBeUndefined();
  });

  it('answers a bare application/dicom only for a single instance', () => {
    expect(form('application/dicom', EXPLICIT, true)).toEqual({ kind: 'stored', multipart: false });
    expect(form('application/dicom', EXPLICIT, false)).toBeUndefined();
  });
});

describe('frames', () => {
  const form = (accept: string | undefined, stored: string) => frameForm(parseAccept(accept), stored);

  it('gives uncompressed octet-stream by default (PS3.18: Explicit VR Little Endian), decoding when needed', () => {
    expect(form('multipart/related; type="application/octet-stream"', EXPLICIT)).toEqual({ kind: 'uncompressed' });
    expect(form('multipart/related; type="application/octet-stream"', JPEG_LS)).toEqual({ kind: 'uncompressed' });
    expect(form(undefined, IMPLICIT)).toEqual({ kind: 'uncompressed' });
    expect(form('multipart/related; type="application/octet-stream"', MPEG2)).toBeUndefined();
  });

  it('gives stored frames for transfer-syntax=* or the matching image type, under the name the client used', () => {
    expect(form('multipart/related; type="application/octet-stream"; transfer-syntax=*', JPEG_LS)).toEqual({ kind: 'stored', partType: 'application/octet-stream' });
    expect(form('multipart/related; type="image/x-jls"', JPEG_LS)).toEqual({ kind: 'stored', partType: 'image/x-jls' });
    expect(form(`multipart/related; type="image/dicom-rle"; transfer-syntax=${RLE}`, RLE)).toEqual({ kind: 'stored', partType: 'image/dicom-rle' });
    expect(form('multipart/related; type="image/*"', RLE)).toEqual({ kind: 'stored', partType: 'image/dicom-rle' });
    expect(form('*/*', MPEG2)).toEqual({ kind: 'stored', partType: 'video/mpeg2' });
  });

  it('refuses a compressed syntax other than the stored one (we do not encode), falling back down the Accept list', () => {
    expect(form('multipart/related; type="image/jp2"', JPEG_LS)).toBeUndefined();
    expect(form('multipart/related; type="image/jls"', EXPLICIT)).toBeUndefined();
    expect(form('multipart/related; type="image/jp2", multipart/related; type="application/octet-stream";q=0.5', JPEG_LS)).toEqual({ kind: 'uncompressed' });
  });
});

describe('bulk data, rendered and JSON', () => {
  it('bulk data: multipart by default, bare octet-stream on request, 406 otherwise', () => {
    expect(bulkForm(parseAccept(undefined))).toEqual({ multipart: true });
    expect(bulkForm(parseAccept('application/octet-stream'))).toEqual({ multipart: false });
    expect(bulkForm(parseAccept('image/jpeg'))).toBeUndefined();
    expect(bulkForm(parseAccept(`multipart/related; type="application/octet-stream"; transfer-syntax=${JPEG_LS}`))).toBeUndefined();
  });

  it('rendered: JPEG by default, PNG when preferred, nothing else', () => {
    expect(renderedFormat(parseAccept(undefined))).toBe('jpeg');
    expect(renderedFormat(parseAccept('image/png, image/jpeg;q=0.8'))).toBe('png');
    expect(renderedFormat(parseAccept('image/gif'))).toBeUndefined();
  });

  it('metadata: application/dicom+json, application/json or wildcards', () => {
    expect(acceptsDicomJson(parseAccept('application/dicom+json'))).toBe(true);
    expect(acceptsDicomJson(parseAccept('application/*'))).toBe(true);
    expect(acceptsDicomJson(parseAccept('multipart/related; type="application/dicom+xml"'))).toBe(false);
  });
});
