/** A patient's name as a worklist row shows it: "(no name)" when the file has none (empty, or only "^" separators). */
import type { PersonNameJson } from '../../shared/dicom/json.js';
import { formatPersonName } from '../app/lib/format.js';

export const NO_NAME = '(no name)';

export function patientNameText(name: PersonNameJson | string | null | undefined): string {
  return formatPersonName(name) || NO_NAME;
}
