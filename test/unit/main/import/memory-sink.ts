import { createHash } from 'node:crypto';
import type { IncomingInstance, InstanceSink, StoreOutcome } from '../../../../main/store/instance-sink.js';

/** An InstanceSink that keeps what it was given in memory, with the archive's duplicate statuses (the real archive is exercised by the CLI integration tests). */
export class MemorySink implements InstanceSink {
  readonly committed: Array<{ incoming: IncomingInstance; bytes: Uint8Array }> = [];
  readonly aborted: string[] = [];
  private readonly held = new Map<string, string>();

  begin(incoming: IncomingInstance) {
    const chunks: Uint8Array[] = [];
    return {
      write: async (chunk: Uint8Array) => void chunks.push(Uint8Array.from(chunk)),
      abort: async (reason: string) => void this.aborted.push(reason),
      commit: async (): Promise<StoreOutcome> => {
        const bytes = new Uint8Array(Buffer.concat(chunks));
        const sha256 = createHash('sha256').update(incoming.transferSyntaxUid).update(bytes).digest('hex');
        const held = this.held.get(incoming.sopInstanceUid);
        this.committed.push({ incoming, bytes });
        if (held === undefined) this.held.set(incoming.sopInstanceUid, sha256);
        const status = held === undefined ? 'stored' : held === sha256 ? 'already-present' : 'kept-existing';
        return { status, sopInstanceUid: incoming.sopInstanceUid, studyInstanceUid: 'study', path: '', sha256, size: bytes.length };
      },
    };
  }
}
