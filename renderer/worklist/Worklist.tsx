/**
 * The worklist: the studies this node holds, or those of a configured PACS
 * searched through the node, with one set of filters for both.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { apiPaths, type NodeSummary, type StudySummary } from '../../shared/api/app-api.js';
import { getJson } from '../app/lib/api-client.js';
import { useShortcuts } from '../app/lib/use-shortcuts.js';
import { FilterBar } from './FilterBar.js';
import { LocalStudies } from './LocalStudies.js';
import { RemoteStudies } from './RemoteStudies.js';
import { studySearchParams } from './search-params.js';
import { LOCAL, type WorklistMemory } from './worklist-memory.js';

/** `memory`: what survives a visit to the viewer (the component is remounted); `onSend`: Send… for held studies. */
export function Worklist({ onOpen, onSend, memory }: { onOpen: (studyUid: string) => void; onSend?: (studies: StudySummary[]) => void; memory: WorklistMemory }) {
  const [filters, setFilters] = useState(memory.filters);
  const [source, setSource] = useState(memory.source);
  const [nodes, setNodes] = useState<NodeSummary[]>([]);
  const nameInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    memory.filters = filters;
    memory.source = source;
  }, [memory, filters, source]);

  useEffect(() => {
    // Nodes configured for searching (a PACS, an archive) are sources; without them the worklist shows no tabs.
    getJson<NodeSummary[]>(apiPaths.nodes).then((all) => setNodes(all.filter((n) => n.search)), () => setNodes([]));
  }, []);
  const sources = useMemo(() => [LOCAL, ...nodes.map((n) => n.name)], [nodes]);
  const current = sources.includes(source) ? source : LOCAL;

  const query = useMemo(() => studySearchParams(filters).toString(), [filters]);
  useShortcuts('worklist', {
    focusSearch: () => nameInput.current?.focus(),
    sourceNext: () => setSource(sources[(sources.indexOf(current) + 1) % sources.length]!),
  });

  return (
    <main className="worklist">
      {sources.length > 1 && (
        <nav className="worklist-sources" aria-label="Where to search">
          {sources.map((s) => {
            const node = nodes.find((n) => n.name === s);
            return (
              <button key={s} type="button" className={`tab${s === current ? ' active' : ''}`} aria-pressed={s === current} onClick={() => setSource(s)} title={node ? `${node.aet} at ${node.host}:${node.port}` : 'Studies held by this node'}>
                {node ? node.name : 'This node'}
              </button>
            );
          })}
        </nav>
      )}
      <FilterBar filters={filters} onChange={setFilters} nameInput={nameInput} />
      {current === LOCAL ? <LocalStudies query={query} onOpen={onOpen} onSend={onSend} memory={memory} /> : <RemoteStudies key={current} node={current} query={query} onOpen={onOpen} />}
    </main>
  );
}
