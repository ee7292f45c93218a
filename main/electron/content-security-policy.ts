/**
 * Defence in depth for the Content-Security-Policy: the node's HTML responses
 * carry CONTENT_SECURITY_POLICY (main/bootstrap/content-security-policy.ts); the
 * shell adds the same policy to every response from the node that has none, so
 * a page can never run without it, whatever route served it.
 */
import { CONTENT_SECURITY_POLICY } from '../bootstrap/content-security-policy.js';

/** Response headers as Electron's webRequest gives them: names in any case, each with a list of values. */
export type ResponseHeaders = Record<string, string[]>;

/** The headers of a response from `url`, with the app's policy added when a response from the node has none. */
export function withContentSecurityPolicy(url: string, headers: ResponseHeaders | undefined, appOrigin: string): ResponseHeaders {
  const result: ResponseHeaders = { ...(headers ?? {}) };
  let origin: string | undefined;
  try {
    origin = new URL(url).origin;
  } catch {
    origin = undefined;
  }
  if (origin !== appOrigin) return result;
  const present = Object.keys(result).some((name) => name.toLowerCase() === 'content-security-policy');
  if (!present) result['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return result;
}
