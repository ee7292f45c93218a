/**
 * Study and birth dates as the worklist shows and sorts them. DICOM DA is
 * YYYYMMDD, but files written before DICOM 3.0 (ACR-NEMA) and some
 * modalities still write YYYY.MM.DD: both are read. Anything else is shown
 * as written, marked invalid, and sorts with the undated studies.
 */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const DATE_FORMS = /^(\d{4})([.\-/]?)(\d{2})\2(\d{2})$/;

export function readDicomDate(da: string | null | undefined): CalendarDate | undefined {
  const match = da ? DATE_FORMS.exec(da.trim()) : null;
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[3]), Number(match[4])];
  const check = new Date(Date.UTC(year, month - 1, day));
  // 20230231 matches the pattern but is no day of the calendar.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return { year, month, day };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** "1997-04-24" (ISO: unambiguous across locales); "" without a date; the value and "(invalid date)" otherwise. */
export function dateText(da: string | null | undefined): string {
  if (!da?.trim()) return '';
  const date = readDicomDate(da);
  return date ? `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}` : `${da.trim()} (invalid date)`;
}

/** "YYYYMMDD" of a readable date, "" otherwise: sorts as text. */
function dateSortKey(da: string | null | undefined): string {
  const date = readDicomDate(da);
  return date ? `${pad(date.year, 4)}${pad(date.month, 2)}${pad(date.day, 2)}` : '';
}

/** Date and time as one sortable key of fixed width ("YYYYMMDDHHMMSS"), so a study without a time sorts with its day; "" without a readable date. */
export function dateTimeSortKey(da: string | null | undefined, tm: string | null | undefined): string {
  const day = dateSortKey(da);
  if (!day) return '';
  const time = /^\d{2,6}/.exec(tm?.trim() ?? '')?.[0] ?? '';
  return `${day}${time.padEnd(6, '0')}`;
}
