/**
 * Search keys for person names: a name is found by any of its component
 * groups (alphabetic, ideographic, phonetic), case-insensitively and without
 * regard to Latin diacritics or full-width forms.
 */
import type { PersonNameJson } from '../dicom/json.js';

/** Lower-case, NFKC, Latin diacritics removed, DICOM delimiters as spaces. */
export function normaliseForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\^=\s]+/g, ' ')
    .trim();
}

/** Each non-empty component group of the name, folded, without repeats. */
export function personNameGroupKeys(name: PersonNameJson | undefined): string[] {
  if (!name) return [];
  const keys = [name.Alphabetic, name.Ideographic, name.Phonetic].filter((group): group is string => !!group).map(normaliseForSearch);
  return [...new Set(keys.filter((key) => key !== ''))];
}

/** One searchable string holding every component group of the name. */
export function personNameSearchKey(name: PersonNameJson | undefined): string {
  return personNameGroupKeys(name).join(' | ');
}
