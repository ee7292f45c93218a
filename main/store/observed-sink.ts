/** An InstanceSink that reports each committed instance (for "study arrived" events), otherwise the sink itself. */
import type { InstanceSink, StoreOutcome } from './instance-sink.js';

export function observeCommits(sink: InstanceSink, onCommitted: (outcome: StoreOutcome) => void): InstanceSink {
  return {
    begin(incoming) {
      const writer = sink.begin(incoming);
      return {
        write: (chunk) => writer.write(chunk),
        abort: (reason) => writer.abort(reason),
        commit: async () => {
          const outcome = await writer.commit();
          if (outcome.status === 'stored' || outcome.status === 'replaced') onCommitted(outcome);
          return outcome;
        },
      };
    },
  };
}
