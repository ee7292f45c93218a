/**
 * The app's routes are one contract (shared/host/app-route.ts): every path
 * the reading room navigates to is answered by the node with the app and its
 * Content-Security-Policy, and a path that is not a route is not.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../../main/bootstrap/content-security-policy.js';
import { staticUi } from '../../../../main/web/static-ui.js';
import { pathOf, routeOf, type Route } from '../../../../shared/host/app-route.js';
import { tempDirsPerTest } from '../../../helpers/tmp.js';

const dirs = tempDirsPerTest('viewbox-ui-', afterEach);
const INDEX = '<!doctype html><title>Viewbox</title>';

async function ui() {
  const dir = await dirs.dataDir();
  await writeFile(join(dir, 'index.html'), INDEX);
  return staticUi(dir);
}

describe('app routes', () => {
  const routes: Route[] = [{ page: 'worklist' }, { page: 'viewer', studyUid: '1.2.840.113619.2.55.3.604688119' }, { page: 'viewer', studyUid: 'odd/uid with spaces' }];

  it.each(routes)('the node answers the path of %j with the app, and the path leads back to it', async (route) => {
    const path = pathOf(route);
    expect(routeOf(path)).toEqual(route);
    const response = await (await ui()).request(path);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(INDEX);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('does not answer a path that is no route with the app', async () => {
    const response = await (await ui()).request('/studies/1.2.3');
    expect(response.status).toBe(404);
  });
});
