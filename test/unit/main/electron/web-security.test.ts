import { describe, expect, it } from 'vitest';
import { withContentSecurityPolicy } from '../../../../main/electron/content-security-policy.js';
import { CONTENT_SECURITY_POLICY } from '../../../../main/bootstrap/content-security-policy.js';
import { allowNavigation, allowPermission } from '../../../../main/electron/navigation-policy.js';
import { guardSession, guardWebContents, secureWebPreferences, type SessionLike, type WebContentsLike } from '../../../../main/electron/web-security.js';
import { recordingLogger } from './fakes.js';

const APP = 'http://127.0.0.1:8042';

describe('navigation policy', () => {
  it.each([
    [`${APP}/`, true],
    [`${APP}/viewer?study=1.2.3#frame=4`, true],
    ['http://127.0.0.1:8043/', false],
    ['http://localhost:8042/', false],
    ['https://127.0.0.1:8042/', false],
    ['https://evil.example/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['data:text/html,<script>1</script>', false],
    ['about:blank', false],
    ['not a url', false],
  ])('navigating to %s: %s', (url, allowed) => {
    expect(allowNavigation(url, APP)).toBe(allowed);
  });

  it.each([
    ['fullscreen', `${APP}/viewer`, true],
    ['window-management', `${APP}/`, true],
    ['clipboard-sanitized-write', APP, true],
    ['window-management', 'https://evil.example/', false],
    ['fullscreen', 'http://127.0.0.1:9999/', false],
    ['media', `${APP}/`, false],
    ['geolocation', `${APP}/`, false],
    ['notifications', `${APP}/`, false],
    ['clipboard-read', `${APP}/`, false],
    ['openExternal', `${APP}/`, false],
    ['unknown', `${APP}/`, false],
  ])('permission %s for %s: %s', (permission, origin, allowed) => {
    expect(allowPermission(permission, origin, APP)).toBe(allowed);
  });
});

describe('window and session guards', () => {
  it('gives every window an isolated, sandboxed renderer without Node, with the preload and no devtools in production', () => {
    const prefs = secureWebPreferences('/app/dist/main/electron/preload.cjs', false);
    expect(prefs).toMatchObject({
      preload: '/app/dist/main/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
  });

  function fakeContents() {
    const handlers = new Map<string, (event: { url?: string; preventDefault(): void }) => void>();
    let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
    const contents: WebContentsLike = {
      on: (event: string, listener: (event: never) => void) => void handlers.set(event, listener as never),
      setWindowOpenHandler: (handler) => void (openHandler = handler),
    };
    const fire = (name: string, url?: string) => {
      let prevented = false;
      handlers.get(name)!({ url, preventDefault: () => void (prevented = true) });
      return prevented;
    };
    return { contents, fire, open: (url: string) => openHandler!({ url }) };
  }

  it('blocks navigations and redirects away from the node, webviews and every new window', () => {
    const { logger, lines } = recordingLogger();
    const { contents, fire, open } = fakeContents();
    guardWebContents(contents, APP, logger);
    expect(fire('will-frame-navigate', `${APP}/viewer`)).toBe(false);
    expect(fire('will-frame-navigate', 'https://evil.example/')).toBe(true);
    expect(fire('will-redirect', 'http://127.0.0.1:1/')).toBe(true);
    expect(fire('will-redirect', `${APP}/`)).toBe(false);
    expect(fire('will-attach-webview')).toBe(true);
    expect(open(`${APP}/viewer`)).toEqual({ action: 'deny' });
    expect(open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual([
      "navigation blocked: not the app's origin",
      "redirect blocked: not the app's origin",
      'webview blocked',
      'new window blocked (the shell opens windows itself)',
      'new window blocked (the shell opens windows itself)',
    ]);
  });

  it('answers permission requests and checks, and adds the CSP to responses from the node', () => {
    const { logger } = recordingLogger();
    let request!: Parameters<SessionLike['setPermissionRequestHandler']>[0];
    let check!: Parameters<SessionLike['setPermissionCheckHandler']>[0];
    let headers!: Parameters<SessionLike['webRequest']['onHeadersReceived']>[0];
    guardSession(
      {
        setPermissionRequestHandler: (h) => void (request = h),
        setPermissionCheckHandler: (h) => void (check = h),
        webRequest: { onHeadersReceived: (h) => void (headers = h) },
      },
      APP,
      logger,
    );
    const granted: boolean[] = [];
    request(null, 'media', (g) => granted.push(g), { requestingUrl: `${APP}/` });
    request(null, 'fullscreen', (g) => granted.push(g), { requestingUrl: `${APP}/viewer` });
    request(null, 'fullscreen', (g) => granted.push(g), { requestingUrl: 'https://evil.example/' });
    expect(granted).toEqual([false, true, false]);
    expect(check(null, 'window-management', APP)).toBe(true);
    expect(check(null, 'geolocation', APP)).toBe(false);

    let response: Record<string, string[]> | undefined;
    headers({ url: `${APP}/api/status`, responseHeaders: { 'Content-Type': ['application/json'] } }, (r) => void (response = r.responseHeaders));
    expect(response).toEqual({ 'Content-Type': ['application/json'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it("keeps the node's own CSP and leaves other origins' headers alone", () => {
    const own = { 'content-security-policy': ["default-src 'self'"] };
    expect(withContentSecurityPolicy(`${APP}/`, own, APP)).toEqual(own);
    expect(withContentSecurityPolicy('https://elsewhere.example/', {}, APP)).toEqual({});
    expect(withContentSecurityPolicy(`${APP}/`, undefined, APP)['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
  });

  it('the CSP it adds allows only the app origin, WASM (not eval), and no plugins or framing', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)] as const));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
  });
});
