/**
 * Requests to the node that serves this page. The session cookie set by the
 * launch URL authenticates them (same origin, so `credentials: 'same-origin'`);
 * a 401 means the session is gone and the app says so instead of a blank list.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly path: string,
    message: string,
  ) {
    super(message);
  }

  get isAuthError(): boolean {
    return this.status === 401;
  }
}

async function errorOf(response: Response, path: string): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let message = text;
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === 'string') message = body.error;
  } catch {
    // Not JSON: keep the text as it is.
  }
  return new ApiError(response.status, path, `${path}: ${response.status} ${message || response.statusText}`);
}

async function request(path: string, init: RequestInit): Promise<Response> {
  const response = await fetch(path, { credentials: 'same-origin', ...init });
  if (!response.ok) {
    const error = await errorOf(response, path);
    if (error.isAuthError) authListeners.forEach((listener) => listener(error));
    throw error;
  }
  return response;
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await request(path, { headers: { accept: 'application/json' }, signal: signal ?? null });
  return (await response.json()) as T;
}

async function sendJson<T>(method: 'PUT' | 'POST', path: string, body: unknown): Promise<T> {
  const response = await request(path, { method, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()) as T;
}

export const putJson = <T>(path: string, body: unknown): Promise<T> => sendJson<T>('PUT', path, body);
export const postJson = <T>(path: string, body: unknown): Promise<T> => sendJson<T>('POST', path, body);

export async function deleteResource(path: string): Promise<void> {
  await request(path, { method: 'DELETE' });
}

/** GET of a DICOM JSON resource (WADO-RS metadata). */
export async function getDicomJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await request(path, { headers: { accept: 'application/dicom+json' }, signal: signal ?? null });
  return (await response.json()) as T;
}

const authListeners = new Set<(error: ApiError) => void>();

/** Called whenever a request is refused for want of a session. */
export function onAuthError(listener: (error: ApiError) => void): () => void {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}
