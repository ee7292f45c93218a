/** DICOM dates (DA, YYYYMMDD) and ages (AS, nnnD/W/M/Y) as the engine needs them: day counts and years. */

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a DA value; null when it is not a valid YYYYMMDD date. */
export function dayNumber(da: string | null | undefined): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(da?.trim() ?? '');
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return Math.round(ms / DAY_MS);
}

/** The DA value of a day number. */
export function dateOfDayNumber(days: number): string {
  const d = new Date(days * DAY_MS);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** Seconds since midnight of a TM value (HHMMSS.frac, parts optional); null when absent or malformed. */
export function secondsOfDay(tm: string | null | undefined): number | null {
  const m = /^(\d{2})(\d{2})?(\d{2})?(?:\.(\d{1,6}))?$/.exec(tm?.trim() ?? '');
  if (!m) return null;
  return Number(m[1]) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) + (m[4] ? Number(`0.${m[4]}`) : 0);
}

/** Age in years from PatientAge (AS) or, failing that, from the birth date at the study date. */
export function ageInYears(patientAge: string | null | undefined, birthDate: string | null | undefined, studyDate: string | null | undefined): number | null {
  const m = /^(\d{3})([DWMY])$/.exec(patientAge?.trim() ?? '');
  if (m) {
    const n = Number(m[1]);
    const perYear = { D: 365.25, W: 52.18, M: 12, Y: 1 }[m[2] as 'D' | 'W' | 'M' | 'Y'];
    return Math.floor(n / perYear);
  }
  const birth = /^(\d{4})(\d{2})(\d{2})$/.exec(birthDate?.trim() ?? '');
  const study = /^(\d{4})(\d{2})(\d{2})$/.exec(studyDate?.trim() ?? '');
  if (!birth || !study || dayNumber(birthDate) === null || dayNumber(studyDate) === null) return null;
  const years = Number(study[1]) - Number(birth[1]);
  const hadBirthday = `${study[2]}${study[3]}` >= `${birth[2]}${birth[3]}`;
  const age = hadBirthday ? years : years - 1;
  return age >= 0 ? age : null;
}
