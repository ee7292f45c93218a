/**
 * The hanging protocol of the open study: the node's presets and the study's
 * engine input are fetched, the shared engine runs here, and the reader
 * moves between stages and matching protocols. Presets edited on disk (or
 * saved from the editor) apply at once: the node announces the change.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { protocolPaths, type ProtocolCatalog, type ProtocolInput } from '../../shared/api/protocols-api.js';
import { errorMessage } from '../../shared/error-message.js';
import { applyProtocols, matchingProtocolIds } from '../../shared/hanging-protocols/engine.js';
import type { HangingProtocol, ProtocolResult } from '../../shared/hanging-protocols/types.js';
import { getJson } from '../app/lib/api-client.js';
import { useServerEvents } from '../app/lib/use-server-events.js';
import { stepStage } from './window-plan.js';

export interface HangingProtocolState {
  catalog: ProtocolCatalog | undefined;
  input: ProtocolInput | undefined;
  result: ProtocolResult | undefined;
  stage: number;
  nextStage: () => void;
  previousStage: () => void;
  /** The next protocol that matches the study, in rank order, wrapping around. */
  nextProtocol: () => void;
  /** Hang this protocol (e.g. from the editor), matching or not; undefined goes back to the winner. */
  chooseProtocol: (id: string | undefined) => void;
  /** Show this stage (another window of the reading moved to it). */
  goToStage: (stage: number) => void;
  /** Read the study's engine input again (a prior has arrived). */
  reloadInput: () => void;
  /** Why protocols could not be applied (the study still opens in the default layout). */
  error: string | undefined;
}

const message = (e: unknown) => errorMessage(e);

/** Runs the engine with `protocols`, hanging `protocolId` when given. */
export function hang(input: ProtocolInput, protocols: readonly HangingProtocol[], protocolId?: string): ProtocolResult {
  return applyProtocols({ current: input.current, priorCandidates: input.priorCandidates, protocols }, protocolId === undefined ? {} : { protocolId });
}

/** `start`: the protocol and stage to begin with (a window opened for another display of a reading). */
export function useHangingProtocol(studyUid: string, start: { protocolId?: string | undefined; stage?: number | undefined } = {}): HangingProtocolState {
  const [catalog, setCatalog] = useState<ProtocolCatalog>();
  const [input, setInput] = useState<ProtocolInput>();
  const [protocolId, setProtocolId] = useState<string | undefined>(start.protocolId);
  const [stage, setStage] = useState(0);
  const startStage = useRef(start.stage);
  const [error, setError] = useState<string>();

  const loadCatalog = useCallback(() => {
    getJson<ProtocolCatalog>(protocolPaths.catalog).then(setCatalog, (e: unknown) => setError(`hanging protocols could not be read: ${message(e)}`));
  }, []);
  useEffect(loadCatalog, [loadCatalog]);
  const [inputGeneration, setInputGeneration] = useState(0);
  useEffect(() => {
    getJson<ProtocolInput>(protocolPaths.input(studyUid)).then(setInput, (e: unknown) => setError(`hanging protocols could not be applied: ${message(e)}`));
  }, [studyUid, inputGeneration]);
  useServerEvents((event) => {
    if (event.type === 'protocols-changed') loadCatalog();
  }, loadCatalog);

  const { result, failure } = useMemo((): { result?: ProtocolResult; failure?: string } => {
    if (!catalog || !input) return {};
    const protocols = catalog.protocols.map((p) => p.protocol);
    try {
      return { result: hang(input, protocols, protocolId !== undefined && protocols.some((p) => p.id === protocolId) ? protocolId : undefined) };
    } catch (e) {
      return { failure: `hanging protocols could not be applied: ${message(e)}` };
    }
  }, [catalog, input, protocolId]);

  // A new protocol starts at its first active stage; the same protocol re-read keeps the reader's stage.
  const winner = result?.winner?.id;
  const initialStage = result?.initialStage ?? 0;
  useEffect(() => {
    if (winner === undefined) return;
    setStage(startStage.current ?? initialStage);
    startStage.current = undefined;
  }, [winner, initialStage]);

  return {
    catalog,
    input,
    result,
    stage: result && stage < result.stages.length ? stage : 0,
    nextStage: () => result && setStage((s) => stepStage(result, s, 1)),
    previousStage: () => result && setStage((s) => stepStage(result, s, -1)),
    nextProtocol: () => {
      if (!result?.winner) return;
      const ids = matchingProtocolIds(result);
      const at = ids.indexOf(result.winner.id);
      setProtocolId(ids[(at + 1) % ids.length]);
    },
    chooseProtocol: setProtocolId,
    goToStage: setStage,
    reloadInput: () => setInputGeneration((g) => g + 1),
    error: error ?? failure,
  };
}
