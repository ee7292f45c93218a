/** Dates as the worklist reads, shows and sorts them: DICOM DA and the older YYYY.MM.DD, anything else marked invalid. */
import { describe, expect, it } from 'vitest';
import { dateText, dateTimeSortKey, readDicomDate } from '../../../../renderer/worklist/study-date.js';

describe('study dates', () => {
  it('reads YYYYMMDD and the ACR-NEMA YYYY.MM.DD, and no day that is not in the calendar', () => {
    expect(readDicomDate('19970424')).toEqual({ year: 1997, month: 4, day: 24 });
    expect(readDicomDate('1997.04.24')).toEqual({ year: 1997, month: 4, day: 24 });
    expect(readDicomDate(' 1997-04-24 ')).toEqual({ year: 1997, month: 4, day: 24 });
    expect(readDicomDate('1997.0424')).toBeUndefined();
    expect(readDicomDate('20230231')).toBeUndefined();
    expect(readDicomDate('April 1997')).toBeUndefined();
  });

  it('shows ISO dates, and a value that is no date as written with "(invalid date)"', () => {
    expect(dateText('1997.04.24')).toBe('1997-04-24');
    expect(dateText('20230231')).toBe('20230231 (invalid date)');
    expect(dateText(undefined)).toBe('');
  });

  it('sorts by the day named, with or without a time, and puts undated and invalid dates together', () => {
    const keys = [dateTimeSortKey('20010101', undefined), dateTimeSortKey('1997.04.24', '101500'), dateTimeSortKey('19950903', '120000.5'), dateTimeSortKey('19970424', '0930')];
    expect([...keys].sort()).toEqual([keys[2], keys[3], keys[1], keys[0]]);
    expect(dateTimeSortKey('junk', '1200')).toBe('');
    expect(dateTimeSortKey(undefined, undefined)).toBe('');
  });
});
