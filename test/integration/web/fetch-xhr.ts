/**
 * The part of XMLHttpRequest that dicomweb-client uses, over Node's fetch:
 * Node has no XHR, and the client creates `new XMLHttpRequest()` for every
 * call, so tests install this as the global while the client runs.
 */
type Handler = ((this: FetchXhr, event?: unknown) => void) | null;

export class FetchXhr {
  readyState = 0;
  status = 0;
  responseType: '' | 'text' | 'json' | 'arraybuffer' = '';
  response: unknown = null;
  withCredentials = false;
  onreadystatechange: Handler = null;
  onloadstart: Handler = null;
  onloadend: Handler = null;
  onprogress: Handler = null;
  private method = 'GET';
  private url = '';
  private readonly headers = new Headers();
  private responseHeaders = new Headers();

  open(method: string, url: string): void {
    this.method = method.toUpperCase();
    this.url = url;
    this.readyState = 1;
  }

  setRequestHeader(name: string, value: string): void {
    this.headers.set(name, value);
  }

  getResponseHeader(name: string): string | null {
    return this.responseHeaders.get(name);
  }

  getAllResponseHeaders(): string {
    return [...this.responseHeaders].map(([name, value]) => `${name}: ${value}\r\n`).join('');
  }

  send(data?: RequestInit['body']): void {
    this.onloadstart?.();
    void this.run(data ?? null);
  }

  private async run(body: RequestInit['body']): Promise<void> {
    try {
      const response = await fetch(this.url, { method: this.method, headers: this.headers, body });
      this.responseHeaders = response.headers;
      this.status = response.status;
      const bytes = await response.arrayBuffer();
      const text = () => new TextDecoder().decode(bytes);
      if (this.responseType === 'arraybuffer') this.response = bytes;
      else if (this.responseType === 'json') this.response = bytes.byteLength === 0 ? null : JSON.parse(text());
      else this.response = text();
    } catch (error) {
      this.status = 0;
      this.response = String(error);
    }
    this.readyState = 4;
    this.onreadystatechange?.();
    this.onloadend?.();
  }
}

/** Make FetchXhr the global XMLHttpRequest; returns what puts the previous one back. */
export function installFetchXhr(): () => void {
  const global = globalThis as { XMLHttpRequest?: unknown };
  const previous = global.XMLHttpRequest;
  global.XMLHttpRequest = FetchXhr;
  return () => {
    global.XMLHttpRequest = previous;
  };
}
