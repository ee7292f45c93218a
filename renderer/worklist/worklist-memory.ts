/**
 * What the worklist keeps across a visit to the viewer (the worklist is
 * remounted when the reader comes back): the filters, the source searched,
 * the sort order and the selected study. The shell holds one for the page.
 */
import { EMPTY_FILTERS, type WorklistFilters } from './search-params.js';
import { DEFAULT_SORT, type SortOrder } from './study-sort.js';

/** `local`, or the name of a configured node. */
export type Source = string;
export const LOCAL: Source = 'local';

export interface WorklistMemory {
  filters: WorklistFilters;
  source: Source;
  sort: SortOrder;
  selected: string | undefined;
}

export function freshWorklistMemory(): WorklistMemory {
  return { filters: EMPTY_FILTERS, source: LOCAL, sort: DEFAULT_SORT, selected: undefined };
}
