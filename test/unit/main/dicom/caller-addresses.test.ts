/** Node host names as addresses: resolved before the listener starts, refreshed in the background, last known kept through a failure. */
import { describe, expect, it } from 'vitest';
import { CallerAddresses, type ResolveHost } from '../../../../main/dicom/scp/caller-addresses.js';
import { createLogger } from '../../../../main/log.js';

function recorder() {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, logger: createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }) };
}

describe('CallerAddresses', () => {
  it('answers IP literals in canonical form without resolving them, and names with all their addresses', async () => {
    const asked: string[] = [];
    const resolve: ResolveHost = async (host) => (asked.push(host), ['10.0.0.7', '2001:0db8::0007']);
    const callers = new CallerAddresses({ hosts: ['::ffff:10.0.0.5', 'pacs.example', 'pacs.example'], logger: recorder().logger, resolve });
    await callers.start();
    expect(callers.addressesOf('::ffff:10.0.0.5')).toEqual(['10.0.0.5']);
    expect(callers.addressesOf('pacs.example')).toEqual(['10.0.0.7', '2001:db8::7']);
    expect(asked).toEqual(['pacs.example']);
    callers.close();
  });

  it('refreshes names in the background, keeps the last addresses when a lookup fails, and logs the failure with the name', async () => {
    let answer: string[] | Error = ['10.0.0.7'];
    const resolve: ResolveHost = async () => {
      if (answer instanceof Error) throw answer;
      return answer;
    };
    const { lines, logger } = recorder();
    const callers = new CallerAddresses({ hosts: ['pacs.example'], logger, resolve, refreshMs: 20 });
    await callers.start();
    answer = ['10.0.0.8'];
    await expect.poll(() => callers.addressesOf('pacs.example')).toEqual(['10.0.0.8']);
    answer = new Error('getaddrinfo EAI_AGAIN pacs.example');
    await expect.poll(() => lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatchObject({ level: 'warn', host: 'pacs.example', lastKnown: ['10.0.0.8'], error: 'getaddrinfo EAI_AGAIN pacs.example' });
    expect(callers.addressesOf('pacs.example')).toEqual(['10.0.0.8']);
    callers.close();
  });

  it('does not hold the start longer than startWaitMs for a resolver that hangs; the name matches nothing until it resolves', async () => {
    let release: (addresses: string[]) => void = () => {};
    const resolve: ResolveHost = () => new Promise((done) => (release = done));
    const callers = new CallerAddresses({ hosts: ['slow.example'], logger: recorder().logger, resolve, startWaitMs: 50, refreshMs: 60_000 });
    const started = Date.now();
    await callers.start();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(callers.addressesOf('slow.example')).toBeUndefined();
    release(['10.0.0.9']);
    await expect.poll(() => callers.addressesOf('slow.example')).toEqual(['10.0.0.9']);
    callers.close();
  });
});
