/**
 * `viewbox serve` on a LAN address: the DICOM listeners bind where
 * dicomBindAddress (--dicom-bind) says and nowhere else, the HTTP face stays
 * on loopback, and the ready line says where DICOM and DICOM TLS listen. TLS
 * files written relative to the data folder are found there; a missing one
 * stops the start with its name.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoscu } from '../../helpers/peers/storescu.js';
import { portAccepts } from '../../helpers/peers/wait.js';
import { startViewbox, type Viewbox } from '../../helpers/peers/viewbox.js';
import { dcmtkEnv, run } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { makeTestPki, type TestPki } from './certificates.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let pki: TestPki;
const running: Viewbox[] = [];

beforeAll(async () => {
  work = await tempDir('viewbox-lan-');
  pki = await makeTestPki(join(work.path));
}, 60_000);

afterAll(async () => {
  for (const node of running) await node.stop();
  await work?.cleanup();
});

/** A data folder holding its TLS files under tls/, and a config naming them relative to it. */
function dataFolderWithTls(name: string, certificate = 'tls/node.pem'): { dataDir: string; configFile: string } {
  const dataDir = join(work.path, name);
  mkdirSync(join(dataDir, 'tls'), { recursive: true });
  copyFileSync(pki.server.cert, join(dataDir, 'tls/node.pem'));
  copyFileSync(pki.server.key, join(dataDir, 'tls/node.key'));
  copyFileSync(pki.ca, join(dataDir, 'tls/ca.pem'));
  const configFile = join(work.path, `${name}.json`);
  writeFileSync(configFile, JSON.stringify({ aet: 'VBX_LAN', dicomTls: { port: 0, certificate, privateKey: 'tls/node.key', caCertificates: 'tls/ca.pem' } }));
  return { dataDir, configFile };
}

describe('viewbox serve --dicom-bind 127.0.0.2', () => {
  let node: Viewbox;
  beforeAll(async () => {
    const { dataDir, configFile } = dataFolderWithTls('node');
    node = await startViewbox({ dataDir, args: ['--config', configFile, '--dicom-bind', '127.0.0.2'] });
    running.push(node);
  }, 60_000);

  it('answers echoscu on 127.0.0.2, and nothing listens on 127.0.0.1 at that port', async () => {
    expect(node.dicomAddress).toBe('127.0.0.2');
    const echo = await echoscu({ host: '127.0.0.2', port: node.dicomPort, calledAet: 'VBX_LAN' });
    expect(echo.ok, echo.log).toBe(true);
    expect(await portAccepts(node.dicomPort, '127.0.0.1')).toBe(false);
  });

  it('keeps the HTTP face on 127.0.0.1', async () => {
    expect(node.url).toBe(`http://127.0.0.1:${node.httpPort}/`);
    expect(await portAccepts(node.httpPort, '127.0.0.1')).toBe(true);
    expect(await portAccepts(node.httpPort, '127.0.0.2')).toBe(false);
  });

  it('announces the TLS port, which answers echoscu +tls on 127.0.0.2 with the files found in the data folder', async () => {
    expect(node.dicomTlsPort).toBeGreaterThan(0);
    expect(node.dicomTlsPort).not.toBe(node.dicomPort);
    const result = await run('echoscu', ['-aet', 'TLSCALLER', '-aec', 'VBX_LAN', '+tls', pki.client.key, pki.client.cert, '+cf', pki.ca, '127.0.0.2', String(node.dicomTlsPort)], { env: dcmtkEnv, timeoutMs: 30_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(await portAccepts(node.dicomTlsPort!, '127.0.0.1')).toBe(false);
  });
});

describe('a TLS file that is not there', () => {
  it('stops the start, naming the setting and the file', async () => {
    const { dataDir, configFile } = dataFolderWithTls('missing', 'tls/renewed.pem');
    const start = startViewbox({ dataDir, args: ['--config', configFile] });
    await expect(start).rejects.toThrow(`dicomTls.certificate ${join(dataDir, 'tls/renewed.pem')} cannot be read`);
  });
});
