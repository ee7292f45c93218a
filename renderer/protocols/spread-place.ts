/** Where a window of a reading spread over several displays stands, read from its address (`?display=k&displays=n&protocol=ID&stage=S`). */

export interface SpreadPlace {
  /** This window's display in the reading (0: the one the study was opened in). */
  display: number;
  /** How many displays the reading spans. */
  displays: number;
  protocolId: string | undefined;
  stage: number | undefined;
}

/** Where this window stands, from its address (a window opened for another display says so). */
export function spreadPlaceOf(search: string): SpreadPlace {
  const params = new URLSearchParams(search);
  // An absent parameter is no number (Number(null) would read it as 0: stage 0 even when inactive).
  const count = (name: string) => {
    const text = params.get(name);
    const value = text === null || text.trim() === '' ? NaN : Number(text);
    return Number.isInteger(value) && value >= 0 ? value : undefined;
  };
  const displays = Math.max(1, count('displays') ?? 1);
  return { display: Math.min(count('display') ?? 0, displays - 1), displays, protocolId: params.get('protocol') ?? undefined, stage: count('stage') };
}
