/**
 * The local worklist: filters, the study table, live updates from the node's
 * events, and keyboard navigation (keyboard-map.ts).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { apiPaths, type ReadStatus, type StudySummary } from '../../shared/api/app-api.js';
import { getJson, putJson } from '../app/api-client.js';
import { useServerEvents } from '../app/use-server-events.js';
import { useShortcuts } from '../app/use-shortcuts.js';
import { FilterBar } from './FilterBar.js';
import { EMPTY_FILTERS, studySearchParams, type WorklistFilters } from './search-params.js';
import { StudyTable } from './StudyTable.js';
import { DEFAULT_SORT, nextSort, sortStudies, type SortOrder } from './study-sort.js';

/** Typing waits this long before searching; events arriving during a transfer are merged the same way. */
const SEARCH_DEBOUNCE_MS = 250;

/** Filters survive a visit to the viewer (the component is remounted). */
let lastFilters: WorklistFilters = EMPTY_FILTERS;
let lastSort: SortOrder = DEFAULT_SORT;
let lastSelected: string | undefined;

export function Worklist({ onOpen }: { onOpen: (study: StudySummary) => void }) {
  const [filters, setFilters] = useState(lastFilters);
  const [sort, setSort] = useState(lastSort);
  const [studies, setStudies] = useState<StudySummary[]>([]);
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [selectedUid, setSelectedUid] = useState(lastSelected);
  const [generation, setGeneration] = useState(0);
  const nameInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    lastFilters = filters;
    lastSort = sort;
    lastSelected = selectedUid;
  }, [filters, sort, selectedUid]);

  const query = useMemo(() => studySearchParams(filters).toString(), [filters]);
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
          setError(e instanceof Error ? e.message : String(e));
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
  const selectedIndex = rows.findIndex((s) => s.studyUid === selectedUid);
  const selected = rows[selectedIndex];
  const selectAt = (index: number) => {
    const study = rows[Math.max(0, Math.min(rows.length - 1, index))];
    if (study) setSelectedUid(study.studyUid);
  };

  const setReadStatus = (study: StudySummary, readStatus: ReadStatus) => {
    setStudies((current) => current.map((s) => (s.studyUid === study.studyUid ? { ...s, readStatus } : s)));
    putJson(apiPaths.readStatus(study.studyUid), { readStatus }).catch((e: unknown) => {
      setError(e instanceof Error ? e.message : String(e));
      refresh();
    });
  };

  useShortcuts('worklist', {
    focusSearch: () => nameInput.current?.focus(),
    rowPrevious: () => selectAt(selectedIndex < 0 ? 0 : selectedIndex - 1),
    rowNext: () => selectAt(selectedIndex + 1),
    rowFirst: () => selectAt(0),
    rowLast: () => selectAt(rows.length - 1),
    open: () => selected && onOpen(selected),
    toggleRead: () => selected && setReadStatus(selected, selected.readStatus === 'read' ? 'unread' : 'read'),
  });

  return (
    <main className="worklist">
      <FilterBar filters={filters} onChange={setFilters} nameInput={nameInput} />
      <div className="worklist-summary" aria-live="polite">
        {error ? <span className="error">{error}</span> : loading ? 'Searching…' : `${rows.length} ${rows.length === 1 ? 'study' : 'studies'}`}
      </div>
      <div className="table-scroll">
        <StudyTable
          studies={rows}
          sort={sort}
          onSort={(column) => setSort((current) => nextSort(current, column))}
          selectedUid={selectedUid}
          onSelect={(study) => setSelectedUid(study.studyUid)}
          onOpen={onOpen}
          onReadStatus={setReadStatus}
        />
        {!loading && !error && rows.length === 0 && <p className="empty">No studies match. Send studies to this node's AE title, or import files.</p>}
      </div>
    </main>
  );
}
