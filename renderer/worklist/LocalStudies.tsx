/**
 * The studies this node holds: searched with the worklist's filters, kept
 * live by the node's events, sorted in the browser, read status set in place.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { apiPaths, type ReadStatus, type StudySummary } from '../../shared/api/app-api.js';
import { errorMessage } from '../../shared/error-message.js';
import { getJson, putJson } from '../app/lib/api-client.js';
import { useServerEvents } from '../app/lib/use-server-events.js';
import { useShortcuts } from '../app/lib/use-shortcuts.js';
import { SEARCH_DEBOUNCE_MS } from './search-params.js';
import { StudyTable } from './StudyTable.js';
import { nextSort, sortStudies } from './study-sort.js';
import { savedThumbnailSize, saveThumbnailSize, THUMBNAIL_SIZES, isThumbnailSize } from './thumbnail-size.js';
import { useRowSelection } from './use-row-selection.js';
import type { WorklistMemory } from './worklist-memory.js';

/** `memory`: the sort order and selection survive a visit to the viewer (the component is remounted). */
/** `onSend`: Send… for the selected study (the dialog is the send queue's, shown by the shell). */
export function LocalStudies({ query, onOpen, onSend, memory }: { query: string; onOpen: (studyUid: string) => void; onSend?: ((studies: StudySummary[]) => void) | undefined; memory: WorklistMemory }) {
  const [sort, setSort] = useState(memory.sort);
  const [studies, setStudies] = useState<StudySummary[]>([]);
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const [thumbnailSize, setThumbnailSize] = useState(savedThumbnailSize);

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setLoading(true);
      getJson<StudySummary[]>(`${apiPaths.studies}${query ? `?${query}` : ''}`, controller.signal).then(
        (found) => {
          setStudies(found);
          setError(undefined);
          setLoading(false);
        },
        (e: unknown) => {
          if (controller.signal.aborted) return;
          setError(errorMessage(e));
          setLoading(false);
        },
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, generation]);

  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  useServerEvents((event) => {
    if (event.type === 'study-updated') refresh();
  }, refresh);

  const rows = useMemo(() => sortStudies(studies, sort), [studies, sort]);
  const selection = useRowSelection(rows, (s) => s.studyUid, memory.selected);
  useEffect(() => {
    memory.sort = sort;
    memory.selected = selection.selectedKey;
  }, [memory, sort, selection.selectedKey]);

  const setReadStatus = (study: StudySummary, readStatus: ReadStatus) => {
    setStudies((current) => current.map((s) => (s.studyUid === study.studyUid ? { ...s, readStatus } : s)));
    putJson(apiPaths.readStatus(study.studyUid), { readStatus }).catch((e: unknown) => {
      setError(errorMessage(e));
      refresh();
    });
  };

  const { selected } = selection;
  useShortcuts('worklist', {
    ...selection.keys,
    open: () => selected && onOpen(selected.studyUid),
    toggleRead: () => selected && setReadStatus(selected, selected.readStatus === 'read' ? 'unread' : 'read'),
    send: () => selected && onSend?.([selected]),
  });

  return (
    <>
      <div className="worklist-summary-row">
        <div className="worklist-summary" aria-live="polite">
          {error ? <span className="error">{error}</span> : loading ? 'Searching…' : `${rows.length} ${rows.length === 1 ? 'study' : 'studies'}`}
        </div>
        <label className="thumbnail-size">
          Thumbnails
          <select
            aria-label="Thumbnail size"
            value={thumbnailSize}
            onChange={(e) => {
              const size = Number(e.target.value);
              if (!isThumbnailSize(size)) return;
              setThumbnailSize(size);
              saveThumbnailSize(size);
              e.target.blur();
            }}
          >
            {THUMBNAIL_SIZES.map((size) => (
              <option key={size} value={size}>
                {size} px
              </option>
            ))}
          </select>
        </label>
        {onSend && (
          <button type="button" className="worklist-action" disabled={!selected} onClick={() => selected && onSend([selected])} title={selected ? 'Send the selected study to another node, or route it by a rule' : 'Select a study to send it'}>
            Send…
          </button>
        )}
      </div>
      <div className="table-scroll">
        <StudyTable
          studies={rows}
          sort={sort}
          onSort={(column) => setSort((current) => nextSort(current, column))}
          selectedUid={selection.selectedKey}
          onSelect={selection.select}
          onOpen={(study) => onOpen(study.studyUid)}
          onReadStatus={setReadStatus}
          thumbnailSize={thumbnailSize}
        />
        {!loading && !error && rows.length === 0 && <p className="empty">No studies match. Send studies to this node's AE title, or import files.</p>}
      </div>
    </>
  );
}
