import { createServer, type AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CommandField, decodeCommandSet, encodeCommandSet, encodeResponse, Tag, type CommandValue, CommandSetError } from '../../../../main/dicom/ul/dimse-command.js';
import { decodeAssociateRq, encodeAssociateAc } from '../../../../main/dicom/ul/pdu-codec.js';
import { PduReader } from '../../../../main/dicom/ul/pdu-reader.js';
import { cStoreRq, parseCommandSet } from '../../../helpers/peers/raw-association.js';
import { dcmtkEnv } from '../../../helpers/run.js';

/** Accept one echoscu association and capture the command set it sends. */
async function captureEchoscuCommand(): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => {
      const reader = new PduReader({ maxPduLength: 16384 });
      const parts: Uint8Array[] = [];
      socket.on('data', (chunk: Buffer) => {
        for (const event of reader.feed(chunk)) {
          if (event.kind === 'pdu' && event.type === 1) {
            const rq = decodeAssociateRq(event.body);
            socket.write(encodeAssociateAc({ calledAe: rq.calledAe, callingAe: rq.callingAe, contexts: rq.contexts.map((c) => ({ id: c.id, result: 0, transferSyntax: c.transferSyntaxes[0]! })), userInfo: { maxPduLength: 16384, roles: [] } }));
          } else if (event.kind === 'pdv') {
            parts.push(Uint8Array.from(event.data));
            if (event.final) {
              socket.destroy();
              server.close();
              resolve(Buffer.concat(parts));
            }
          }
        }
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const child = spawn('echoscu', ['-aec', 'ANY', '127.0.0.1', String(port)], { env: dcmtkEnv, stdio: 'ignore' });
      child.on('error', reject);
    });
    setTimeout(() => reject(new Error('no command from echoscu')), 10_000).unref();
  });
}

describe('DIMSE command sets', () => {
  it('decodes the C-ECHO-RQ DCMTK sends, and encodes the same fields to the same bytes', async () => {
    const captured = await captureEchoscuCommand();
    const command = decodeCommandSet(captured);
    expect(command.commandField).toBe(CommandField.cEchoRq);
    expect(command.ui(Tag.affectedSopClassUid)).toBe('1.2.840.10008.1.1');
    expect(command.hasDataset).toBe(false);
    const values = new Map<number, CommandValue>([
      [Tag.affectedSopClassUid, { vr: 'UI', value: '1.2.840.10008.1.1' }],
      [Tag.commandField, { vr: 'US', value: CommandField.cEchoRq }],
      [Tag.messageId, { vr: 'US', value: command.us(Tag.messageId)! }],
      [Tag.commandDataSetType, { vr: 'US', value: 0x0101 }],
    ]);
    expect(Buffer.from(encodeCommandSet(values)).toString('hex')).toBe(Buffer.from(captured).toString('hex'));
  });

  it('a C-STORE-RSP echoes the request and carries status and a ≤ 64-char Error Comment', () => {
    const request = decodeCommandSet(cStoreRq({ sopClassUid: '1.2.840.10008.5.1.4.1.1.2', sopInstanceUid: '1.2.3.4.5', messageId: 42 }));
    const response = parseCommandSet(encodeResponse(request, 0xa700, `object larger than 10 bytes ${'x'.repeat(80)}`));
    const groupLength = [...response.entries()].filter(([element]) => element !== 0).reduce((sum, [, value]) => sum + 8 + value.length, 0);
    expect(response.get(0x0000)!.readUInt32LE(0)).toBe(groupLength);
    expect(response.get(Tag.commandField)!.readUInt16LE(0)).toBe(CommandField.cStoreRsp);
    expect(response.get(Tag.messageIdBeingRespondedTo)!.readUInt16LE(0)).toBe(42);
    expect(response.get(Tag.status)!.readUInt16LE(0)).toBe(0xa700);
    expect(response.get(Tag.commandDataSetType)!.readUInt16LE(0)).toBe(0x0101);
    expect(response.get(Tag.affectedSopInstanceUid)!.toString('latin1')).toBe('1.2.3.4.5\0');
    expect(response.get(Tag.affectedSopClassUid)!.toString('latin1')).toBe('1.2.840.10008.5.1.4.1.1.2\0');
    const comment = response.get(Tag.errorComment)!.toString('latin1');
    expect(comment.length).toBeLessThanOrEqual(64);
    expect(comment.startsWith('object larger than 10 bytes')).toBe(true);
    expect([...response.keys()]).toEqual([...response.keys()].sort((a, b) => a - b));
  });

  it('names the element and offset of a broken command set', () => {
    const bytes = Buffer.from(cStoreRq({ sopClassUid: '1.2', sopInstanceUid: '1.3', messageId: 1 }));
    bytes.writeUInt32LE(999, 12 + 4);
    expect(() => decodeCommandSet(bytes)).toThrow(CommandSetError);
    expect(() => decodeCommandSet(bytes)).toThrow(/\(0000,0002\) length 999 runs past the end/);
    bytes.writeUInt16LE(0x0008, 12);
    expect(() => decodeCommandSet(bytes)).toThrow(/\(0008,0002\) is not in group 0000/);
  });
});
