/** How DICOM values read on screen: names, dates, times. */
import type { PersonNameJson } from '../../../shared/dicom/json.js';

/** "Family^Given^Middle^Prefix^Suffix" as "Family, Given Middle". */
function personNameGroup(value: string): string {
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = value.split('^').map((p) => p.trim());
  const first = [prefix, given, middle].filter(Boolean).join(' ');
  const name = family && first ? `${family}, ${first}` : family || first;
  return suffix ? `${name} ${suffix}` : name;
}

/** Every representation the name has (alphabetic, ideographic, phonetic), so it can be read in either script. */
export function formatPersonName(name: PersonNameJson | string | null | undefined): string {
  if (!name) return '';
  if (typeof name === 'string') return personNameGroup(name);
  return [name.Alphabetic, name.Ideographic, name.Phonetic]
    .filter((group): group is string => !!group)
    .map(personNameGroup)
    .join(' · ');
}

/** DICOM DA "20240115" as "2024-01-15" (ISO: unambiguous across locales). */
export function formatDate(da: string | null | undefined): string {
  if (!da) return '';
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(da.trim());
  return match ? `${match[1]}-${match[2]}-${match[3]}` : da;
}

/** DICOM TM "101500.123" as "10:15". */
export function formatTime(tm: string | null | undefined): string {
  if (!tm) return '';
  const match = /^(\d{2})(\d{2})?/.exec(tm.trim());
  return match ? `${match[1]}:${match[2] ?? '00'}` : tm;
}
