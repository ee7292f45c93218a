/**
 * The guard on writes that a session cookie authenticates. SameSite=Strict
 * does not separate ports, so a page served by any other local port counts as
 * the same site and its form posts would carry our cookie. Such a write must
 * say it comes from this node's own origin, and send its body in a type no
 * page can send across origins without a CORS preflight (which we never
 * answer). Requests with the bearer token are not affected: no page can add
 * that header to a cross-origin request.
 */
import { DICOMWEB_ROOT } from '../../shared/api/dicomweb-paths.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CookieRequest {
  method: string;
  /** The URL path, e.g. /api/jobs/retrieve. */
  path: string;
  /** The Host header, already checked to be one of ours (lower case). */
  host: string;
  origin: string | undefined;
  contentType: string | undefined;
  contentLength: string | undefined;
  transferEncoding: string | undefined;
}

/** Why a cookie-authenticated request is refused, or undefined when it may go on. */
export function crossSiteRefusal(request: CookieRequest): string | undefined {
  const method = request.method.toUpperCase();
  if (SAFE_METHODS.has(method)) return undefined;
  const expected = `http://${request.host}`;
  const bearerHint = 'scripts send Authorization: Bearer <token> instead of the cookie';
  if (request.origin === undefined) return `${method} ${request.path} with the session cookie needs an Origin header (browsers send it); ${bearerHint}`;
  if (request.origin.toLowerCase() !== expected) {
    return `${method} ${request.path} from origin "${request.origin}" is refused: only pages of this node (${expected}) may write with its session cookie; ${bearerHint}`;
  }
  const hasBody = request.transferEncoding !== undefined || (request.contentLength !== undefined && request.contentLength.trim() !== '0');
  if (!hasBody) return undefined;
  const essence = request.contentType?.split(';')[0]?.trim().toLowerCase();
  const allowed = bodyTypesFor(request.path);
  if (essence === undefined || !allowed.includes(essence)) {
    return `${method} ${request.path} with the session cookie must send its body as ${allowed.join(' or ')}; it was sent as ${request.contentType ?? 'no Content-Type'}`;
  }
  return undefined;
}

/** DICOMweb writes are STOW-RS (multipart/related); the app API takes JSON. */
function bodyTypesFor(path: string): string[] {
  return path === DICOMWEB_ROOT || path.startsWith(`${DICOMWEB_ROOT}/`) ? ['multipart/related'] : ['application/json'];
}
