import { describe, expect, it } from 'vitest';
import { LAUNCH_CODE_TTL_MS, LaunchCodes, launchUrlFor } from '../../../../main/web/launch-codes.js';
import { crossSiteRefusal, type CookieRequest } from '../../../../main/web/same-origin.js';

describe('launch codes', () => {
  it('are random, good once, and only until they expire', () => {
    let now = 1_000;
    const codes = new LaunchCodes(LAUNCH_CODE_TTL_MS, () => now);
    const a = codes.issue();
    const b = codes.issue();
    expect(a.code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b.code).not.toBe(a.code);
    expect(a.expiresAt).toBe(1_000 + LAUNCH_CODE_TTL_MS);
    expect(codes.redeem(a.code)).toBe('ok');
    expect(codes.redeem(a.code)).toBe('used');
    expect(codes.redeem('made-up')).toBe('unknown');
    now += LAUNCH_CODE_TTL_MS - 1;
    expect(codes.redeem(b.code)).toBe('ok');
    const c = codes.issue();
    now += LAUNCH_CODE_TTL_MS;
    expect(codes.redeem(c.code)).toBe('expired');
  });

  it('keep at most 64 outstanding: a flood of requests forgets the oldest', () => {
    const codes = new LaunchCodes();
    const first = codes.issue().code;
    const issued = Array.from({ length: 64 }, () => codes.issue().code);
    expect(codes.redeem(first)).toBe('unknown');
    expect(issued.map((code) => codes.redeem(code))).toEqual(issued.map(() => 'ok'));
  });

  it('go in the launch URL as ?launch=', () => {
    expect(launchUrlFor('http://[::1]:9000/', 'a-b_c')).toBe('http://[::1]:9000/?launch=a-b_c');
  });
});

describe('writes made with the session cookie', () => {
  const base: CookieRequest = { method: 'POST', path: '/api/jobs/retrieve', host: '127.0.0.1:8042', origin: 'http://127.0.0.1:8042', contentType: 'application/json; charset=utf-8', contentLength: '40', transferEncoding: undefined };

  it('go on from our own origin with JSON, or with no body', () => {
    expect(crossSiteRefusal(base)).toBeUndefined();
    expect(crossSiteRefusal({ ...base, host: '[::1]:8042', origin: 'http://[::1]:8042' })).toBeUndefined();
    expect(crossSiteRefusal({ ...base, method: 'DELETE', contentType: undefined, contentLength: undefined })).toBeUndefined();
    expect(crossSiteRefusal({ ...base, method: 'POST', contentType: undefined, contentLength: '0' })).toBeUndefined();
    expect(crossSiteRefusal({ ...base, path: '/dicom-web/studies', contentType: 'multipart/related; type="application/dicom"; boundary=x', contentLength: undefined, transferEncoding: 'chunked' })).toBeUndefined();
  });

  it('are refused from another origin, without one, or with a type a form can send', () => {
    expect(crossSiteRefusal({ ...base, origin: 'http://127.0.0.1:8043' })).toContain('is refused');
    expect(crossSiteRefusal({ ...base, origin: 'http://localhost:8042' })).toContain('is refused');
    expect(crossSiteRefusal({ ...base, origin: undefined })).toContain('needs an Origin');
    expect(crossSiteRefusal({ ...base, contentType: 'text/plain' })).toContain('application/json');
    expect(crossSiteRefusal({ ...base, contentType: undefined, transferEncoding: 'chunked', contentLength: undefined })).toContain('application/json');
    expect(crossSiteRefusal({ ...base, path: '/dicom-web/studies', contentType: 'multipart/form-data; boundary=x' })).toContain('multipart/related');
    expect(crossSiteRefusal({ ...base, path: '/api/protocols/x', contentType: 'multipart/related; boundary=x' })).toContain('application/json');
  });

  it('reads need no Origin', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(crossSiteRefusal({ ...base, method, origin: 'http://evil.example' })).toBeUndefined();
  });
});
