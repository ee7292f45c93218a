/** A DICOM PN for a terminal: the alphabetic form, with the ideographic one beside it when there is one. */
import type { PersonNameJson } from '../../shared/dicom/json.js';

export function personName(name: PersonNameJson | string | null | undefined): string {
  if (!name) return '';
  if (typeof name === 'string') return name;
  const alphabetic = name.Alphabetic ?? '';
  return name.Ideographic ? `${alphabetic} ${name.Ideographic}`.trim() : alphabetic;
}
