/**
 * When the hung protocol wants priors this node lacks, they are looked for on
 * the configured nodes marked for searching (`nodes[].search`), retrieved as jobs of the
 * node, and `onArrived` runs once each is here, so that the protocol is
 * applied again with it (and hangs it, unless the reader changed the layout).
 */
import { useEffect, useRef, useState } from 'react';
import { apiPaths, type NodeSummary, type RetrieveRequest } from '../../shared/api/app-api.js';
import type { JobInfo } from '../../shared/api/jobs.js';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import { errorMessage } from '../../shared/error-message.js';
import { getJson, postJson } from '../app/lib/api-client.js';
import { useServerEvents } from '../app/lib/use-server-events.js';
import { priorSearchParams, priorsToRetrieve } from './remote-priors.js';
import type { HangingProtocolState } from './use-hanging-protocol.js';

/** What is being done about missing priors, for the hanging bar. */
export type RemotePriorStatus =
  | { state: 'searching' }
  | { state: 'retrieving'; node: string; count: number }
  /** `searched`: how many nodes were asked (0: none is configured for searching). */
  | { state: 'none-found'; searched: number }
  | { state: 'failed'; reason: string };

export function useRemotePriors(hanging: HangingProtocolState, onArrived: () => void): RemotePriorStatus | undefined {
  const [status, setStatus] = useState<RemotePriorStatus>();
  const jobs = useRef(new Map<string, string>());
  /** Jobs that ended before their POST answered (a small retrieve can): handled when it does. */
  const ended = useRef(new Map<string, JobInfo>());
  const asked = useRef(new Set<string>());
  const finished = (job: JobInfo) => {
    jobs.current.delete(job.id);
    if (job.state === 'done') onArrived();
    else setStatus({ state: 'failed', reason: job.error ?? `the retrieve ${job.state}` });
    if (jobs.current.size === 0 && job.state === 'done') setStatus(undefined);
  };
  const { result, input, catalog } = hanging;

  useEffect(() => {
    const protocol = catalog?.protocols.find((p) => p.protocol.id === result?.winner?.id)?.protocol;
    if (!result || !input || !protocol || result.missingPriors.length === 0) return;
    // One search per protocol and study: a prior that no node has is not asked for again and again.
    const key = `${protocol.id}\n${input.current.studyUid}`;
    if (asked.current.has(key)) return;
    asked.current.add(key);
    const missing = result.missingPriors;
    void (async () => {
      setStatus({ state: 'searching' });
      try {
        const nodes = (await getJson<NodeSummary[]>(apiPaths.nodes)).filter((n) => n.search);
        for (const node of nodes) {
          const answers = await getJson<DicomJsonDataset[]>(`${apiPaths.remoteStudies(node.name)}?${priorSearchParams(missing[0]!).toString()}`).catch(() => []);
          const wanted = priorsToRetrieve(protocol, input.current, missing, answers);
          if (wanted.length === 0) continue;
          setStatus({ state: 'retrieving', node: node.name, count: wanted.length });
          for (const studyUid of wanted) {
            const job = await postJson<JobInfo>(apiPaths.retrieve, { node: node.name, studyUid } satisfies RetrieveRequest);
            jobs.current.set(job.id, studyUid);
            const end = ended.current.get(job.id);
            if (end) finished(end);
          }
          return;
        }
        setStatus({ state: 'none-found', searched: nodes.length });
      } catch (e) {
        setStatus({ state: 'failed', reason: errorMessage(e) });
      }
    })();
  }, [result, input, catalog]);

  useServerEvents((event) => {
    if (event.type !== 'job' || event.job.kind !== 'retrieve' || event.job.state === 'running') return;
    if (jobs.current.has(event.job.id)) finished(event.job);
    else ended.current.set(event.job.id, event.job);
  });
  return status;
}
