/** The worklist's search fields; every change searches again (debounced by the worklist). */
import type { RefObject } from 'react';
import type { WorklistFilters } from './search-params.js';

const MODALITIES = ['', 'CT', 'MR', 'CR', 'DX', 'US', 'MG', 'NM', 'PT', 'XA', 'RF', 'OT', 'SR', 'SEG'];

interface Props {
  filters: WorklistFilters;
  onChange: (filters: WorklistFilters) => void;
  nameInput: RefObject<HTMLInputElement | null>;
}

export function FilterBar({ filters, onChange, nameInput }: Props) {
  const set = (key: keyof WorklistFilters) => (event: { target: { value: string } }) => onChange({ ...filters, [key]: event.target.value });
  return (
    <form className="filter-bar" role="search" onSubmit={(e) => e.preventDefault()}>
      <label>
        Patient name
        <input ref={nameInput} name="name" value={filters.name} onChange={set('name')} placeholder="Doe, Jane · 山田" autoComplete="off" spellCheck={false} />
      </label>
      <label>
        Patient ID
        <input name="patientId" value={filters.patientId} onChange={set('patientId')} autoComplete="off" spellCheck={false} />
      </label>
      <label>
        Accession
        <input name="accession" value={filters.accession} onChange={set('accession')} autoComplete="off" spellCheck={false} />
      </label>
      <label>
        From
        <input name="dateFrom" type="date" value={filters.dateFrom} onChange={set('dateFrom')} />
      </label>
      <label>
        To
        <input name="dateTo" type="date" value={filters.dateTo} onChange={set('dateTo')} />
      </label>
      <label>
        Modality
        <select name="modality" value={filters.modality} onChange={set('modality')}>
          {MODALITIES.map((m) => (
            <option key={m} value={m}>
              {m || 'Any'}
            </option>
          ))}
        </select>
      </label>
      <label className="grow">
        Description
        <input name="description" value={filters.description} onChange={set('description')} autoComplete="off" spellCheck={false} />
      </label>
    </form>
  );
}
