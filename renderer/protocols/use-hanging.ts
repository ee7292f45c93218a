/**
 * Hanging protocols for one viewer window, as the viewer's hanging slot
 * (viewer/hanging-slot.ts): the protocol and stage, the display spread,
 * priors searched on remote nodes, and this window's part of the stage.
 */
import { useMemo } from 'react';
import { useDisplaySpread } from './use-display-spread.js';
import { spreadPlaceOf } from './spread-place.js';
import { useHangingProtocol } from './use-hanging-protocol.js';
import { useRemotePriors } from './use-remote-priors.js';
import { seriesForViewport, windowPlan, withPriorSearch } from './window-plan.js';

export function useHanging(studyUid: string) {
  const place = useMemo(() => spreadPlaceOf(window.location.search), []);
  const hanging = useHangingProtocol(studyUid, { protocolId: place.protocolId, stage: place.stage });
  const spread = useDisplaySpread(studyUid, place, hanging);
  const remotePriors = useRemotePriors(hanging, hanging.reloadInput);
  const stageResult = hanging.result?.stages[hanging.stage];
  const pacsSearched = remotePriors?.state === 'none-found' && remotePriors.searched > 0;
  const plan = useMemo(() => {
    const own = stageResult && windowPlan(stageResult, spread.displays, spread.display);
    return own && withPriorSearch(own, pacsSearched);
  }, [stageResult, spread.displays, spread.display, pacsSearched]);
  return { ...hanging, spread, remotePriors, plan };
}

export type WindowHanging = ReturnType<typeof useHanging>;

export const hangingProvider = { useHanging, seriesForViewport };
