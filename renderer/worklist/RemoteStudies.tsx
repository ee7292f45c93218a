/**
 * Searching a configured PACS (C-FIND through the node) with the worklist's
 * filters, and retrieving studies from it: the retrieve runs as a job of the
 * node, its progress comes over the node's events, and the study is marked
 * held (and opens) when its images are here.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { apiPaths, type RetrieveRequest, type StudySummary } from '../../shared/api/app-api.js';
import type { JobInfo } from '../../shared/api/jobs.js';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import { errorMessage } from '../../shared/error-message.js';
import { getJson, postJson } from '../app/lib/api-client.js';
import { useServerEvents } from '../app/lib/use-server-events.js';
import { useShortcuts } from '../app/lib/use-shortcuts.js';
import { remoteStudies, retrievesByStudy, type RemoteStudy } from './remote-studies.js';
import { RemoteStudyTable } from './RemoteStudyTable.js';
import { REMOTE_SEARCH_DEBOUNCE_MS } from './search-params.js';
import { useRowSelection } from './use-row-selection.js';

/** UIDs per local lookup, to keep the URL short. */
const HELD_LOOKUP_CHUNK = 50;

/** Images this node holds of each of these studies (absent: none). */
async function heldImages(studyUids: readonly string[]): Promise<Map<string, number>> {
  const held = new Map<string, number>();
  for (let i = 0; i < studyUids.length; i += HELD_LOOKUP_CHUNK) {
    const uids = studyUids.slice(i, i + HELD_LOOKUP_CHUNK).join(',');
    for (const study of await getJson<StudySummary[]>(`${apiPaths.studies}?StudyInstanceUID=${encodeURIComponent(uids)}`)) held.set(study.studyUid, study.instanceCount);
  }
  return held;
}

const errorText = (e: unknown) => errorMessage(e);

export function RemoteStudies({ node, query, onOpen }: { node: string; query: string; onOpen: (studyUid: string) => void }) {
  const [studies, setStudies] = useState<RemoteStudy[]>([]);
  const [held, setHeld] = useState<ReadonlyMap<string, number>>(new Map());
  const [jobs, setJobs] = useState<ReadonlyMap<string, JobInfo>>(new Map());
  const [error, setError] = useState<string>();
  const [searching, setSearching] = useState(false);

  useEffect(() => {
    setStudies([]);
    setError(undefined);
    // An empty search would ask the PACS for every study it holds.
    if (!query) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setSearching(true);
      getJson<DicomJsonDataset[]>(`${apiPaths.remoteStudies(node)}?${query}`, controller.signal).then(
        (answers) => {
          setStudies(remoteStudies(answers));
          setSearching(false);
        },
        (e: unknown) => {
          if (controller.signal.aborted) return;
          setError(errorText(e));
          setSearching(false);
        },
      );
    }, REMOTE_SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [node, query]);

  const checkHeld = useCallback((uids: readonly string[]) => {
    if (uids.length === 0) return;
    heldImages(uids).then(
      (found) =>
        setHeld((current) => {
          const next = new Map(current);
          for (const uid of uids) {
            const images = found.get(uid);
            if (images === undefined) next.delete(uid);
            else next.set(uid, images);
          }
          return next;
        }),
      (e: unknown) => setError(errorText(e)),
    );
  }, []);
  useEffect(() => checkHeld(studies.map((s) => s.studyUid)), [studies, checkHeld]);

  const loadJobs = useCallback(() => {
    getJson<JobInfo[]>(apiPaths.jobs).then((list) => setJobs(new Map(list.map((job) => [job.id, job]))), (e: unknown) => setError(errorText(e)));
  }, []);
  useEffect(loadJobs, [loadJobs]);
  useServerEvents((event) => {
    if (event.type === 'job') setJobs((current) => new Map(current).set(event.job.id, event.job));
    else if (event.type === 'study-updated' && studies.some((s) => s.studyUid === event.studyUid)) checkHeld([event.studyUid]);
  }, loadJobs);

  const retrieves = useMemo(() => retrievesByStudy(jobs.values(), node), [jobs, node]);
  const selection = useRowSelection(studies, (s) => s.studyUid);

  const retrieve = (study: RemoteStudy) => {
    if (retrieves.get(study.studyUid)?.state === 'running') return;
    postJson<JobInfo>(apiPaths.retrieve, { node, studyUid: study.studyUid } satisfies RetrieveRequest).then(
      (job) => setJobs((current) => new Map(current).set(job.id, job)),
      (e: unknown) => setError(errorText(e)),
    );
  };
  const cancel = (job: JobInfo) => {
    postJson<JobInfo>(apiPaths.cancelJob(job.id), {}).catch((e: unknown) => setError(errorText(e)));
  };
  const activate = (study: RemoteStudy) => (held.has(study.studyUid) ? onOpen(study.studyUid) : retrieve(study));

  const { selected } = selection;
  useShortcuts('worklist', {
    ...selection.keys,
    open: () => selected && activate(selected),
    retrieve: () => selected && retrieve(selected),
  });

  const summary = error ? (
    <span className="error">{error}</span>
  ) : !query ? (
    `Enter a name, ID, accession, date or modality to search ${node}.`
  ) : searching ? (
    `Searching ${node}…`
  ) : (
    `${studies.length} ${studies.length === 1 ? 'study' : 'studies'} on ${node}`
  );
  return (
    <>
      <div className="worklist-summary" aria-live="polite">
        {summary}
      </div>
      <div className="table-scroll">
        <RemoteStudyTable
          studies={studies}
          held={held}
          retrieves={retrieves}
          selectedUid={selection.selectedKey}
          onSelect={selection.select}
          onActivate={activate}
          onRetrieve={retrieve}
          onCancel={cancel}
        />
        {query && !searching && !error && studies.length === 0 && <p className="empty">{node} has no studies that match.</p>}
      </div>
    </>
  );
}
