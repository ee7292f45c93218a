/**
 * Our calls over DICOM TLS (a node marked `tls`) to DCMTK's storescp +tls,
 * with the credentials of `dicomTls` as the configuration gives them
 * (peerOf): echo and a byte-exact store; a server whose certificate comes
 * from another CA, or that does not trust ours, fails with an error that
 * names the node and the TLS reason.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RemoteNode, ViewboxConfig } from '../../../shared/config.js';
import { readFileMeta } from '../../../shared/dicom/file-meta.js';
import { echo } from '../../../main/dicom/scu/echo.js';
import { store } from '../../../main/dicom/scu/store.js';
import { createLogger } from '../../../main/log.js';
import { peerOf } from '../../../main/remote/remote-operations.js';
import { pydicomTestFiles } from '../../helpers/pydicom-corpus.js';
import { startStorescp, type Storescp } from '../../helpers/peers/storescp.js';
import { tempDir } from '../../helpers/tmp.js';
import { clientDicomTls, configWithNode, makeTestPki, type Credential, type TestPki } from './certificates.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let pki: TestPki;
const peers: Storescp[] = [];
const logger = createLogger({ level: 'error', write: () => {} });

beforeAll(async () => {
  work = await tempDir('viewbox-tls-scu-');
  pki = await makeTestPki(work.path);
}, 60_000);

afterAll(async () => {
  for (const peer of peers) await peer.stop();
  await work?.cleanup();
});

/** storescp over TLS presenting `server`, requiring a client certificate from `trusts`. */
async function tlsStorescp(server: Credential, trusts: string): Promise<Storescp> {
  const peer = await startStorescp({ aet: 'TLSSCP', bitPreserving: true, extraArgs: ['+tls', server.key, server.cert, '+cf', trusts, '-rc'] });
  peers.push(peer);
  return peer;
}

const configFor = (node: RemoteNode, withTls = true): ViewboxConfig => configWithNode('VIEWBOX', node, withTls ? clientDicomTls(pki) : undefined);

const nodeAt = (port: number, host = '127.0.0.1'): RemoteNode => ({ name: 'tls-pacs', aet: 'TLSSCP', host, port, allow: ['store'], tls: true });

describe('calling a node marked tls', () => {
  it('echoes and stores byte-exact over TLS (by IP address and by name)', async () => {
    const peer = await tlsStorescp(pki.server, pki.ca);
    for (const host of ['127.0.0.1', 'localhost']) {
      const node = nodeAt(peer.port, host);
      expect(await echo(peerOf(configFor(node), node, logger))).toBeGreaterThanOrEqual(0);
    }
    const node = nodeAt(peer.port);
    const file = join(pydicomTestFiles, 'CT_small.dcm');
    const sent = readFileSync(file);
    const meta = readFileMeta(sent)!;
    const results = await store(peerOf(configFor(node), node, logger), {
      instances: [{ path: file, sopClassUid: meta.meta.mediaStorageSopClassUid!, sopInstanceUid: meta.meta.mediaStorageSopInstanceUid!, transferSyntaxUid: meta.meta.transferSyntaxUid }],
    });
    expect(results.map((r) => r.outcome)).toEqual(['completed']);
    const [name] = readdirSync(peer.dir);
    const got = readFileSync(join(peer.dir, name!));
    expect(Buffer.compare(got.subarray(readFileMeta(got)!.datasetOffset), sent.subarray(meta.datasetOffset))).toBe(0);
  });

  it('a server certificate from another CA: the error names the node and says certificate verification failed', async () => {
    const peer = await tlsStorescp(pki.otherServer, pki.ca);
    const node = nodeAt(peer.port);
    await expect(echo(peerOf(configFor(node), node, logger))).rejects.toThrow(
      new RegExp(`^node "tls-pacs" \\(TLSSCP at 127\\.0\\.0\\.1:${peer.port}\\): cannot connect: TLS: certificate verification failed`),
    );
  });

  it('the host name is checked when the node is called by name; called by IP address, the chain is what counts', async () => {
    const peer = await tlsStorescp(pki.ipOnlyServer, pki.ca);
    const byName = nodeAt(peer.port, 'localhost');
    await expect(echo(peerOf(configFor(byName), byName, logger))).rejects.toThrow(/^node "tls-pacs" \(TLSSCP at localhost:\d+\): cannot connect: TLS: certificate verification failed \(ERR_TLS_CERT_ALTNAME_INVALID/);
    const byAddress = nodeAt(peer.port, '127.0.0.1');
    expect(await echo(peerOf(configFor(byAddress), byAddress, logger))).toBeGreaterThanOrEqual(0);
  });

  it('a server that does not trust our certificate: the error names the node and the TLS reason', async () => {
    const peer = await tlsStorescp(pki.server, pki.otherCa);
    const node = nodeAt(peer.port);
    await expect(echo(peerOf(configFor(node), node, logger))).rejects.toThrow(/^node "tls-pacs" \(TLSSCP at 127\.0\.0\.1:\d+\): .*TLS: handshake failed .*alert unknown ca/);
  });

  it('a node marked tls without dicomTls configured is refused before any connection, naming the node', () => {
    const node = nodeAt(104);
    expect(() => peerOf(configFor(node, false), node, logger)).toThrow('node "tls-pacs" (TLSSCP at 127.0.0.1:104): it is marked tls, but dicomTls');
  });
});
