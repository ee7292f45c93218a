/**
 * A reading spread over several displays: the window the study was opened in
 * shows display 0 of the stage's screens and opens one window per other
 * display for the rest (`/view/<uid>?display=k&displays=n`). The windows of
 * one reading keep the same protocol and stage: each change is broadcast to
 * the others (BroadcastChannel, same origin).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { hostBridge } from '../host/host-bridge-instance.js';
import type { HangingProtocolState } from './use-hanging-protocol.js';
import type { SpreadPlace } from './spread-place.js';

interface ReadingMessage {
  studyUid: string;
  protocolId: string;
  stage: number;
}

const CHANNEL = 'viewbox-reading';

export interface DisplaySpread {
  display: number;
  displays: number;
  /** Spread the current stage over every display the host knows; resolves with what happened, for people. */
  spread: () => Promise<string>;
}

export function useDisplaySpread(studyUid: string, place: SpreadPlace, hanging: HangingProtocolState): DisplaySpread {
  const [displays, setDisplays] = useState(place.displays);
  const channel = useMemo(() => (typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(CHANNEL)), []);
  useEffect(() => () => channel?.close(), [channel]);

  // What another window of this reading says is applied here, and not sent back.
  const received = useRef<string>(undefined);
  const winner = hanging.result?.winner?.id;
  const { stage, chooseProtocol, goToStage } = hanging;
  useEffect(() => {
    if (!channel) return;
    channel.onmessage = (event: MessageEvent<ReadingMessage>) => {
      const message = event.data;
      if (message.studyUid !== studyUid) return;
      received.current = `${message.protocolId}\n${message.stage}`;
      if (message.protocolId !== winner) chooseProtocol(message.protocolId);
      goToStage(message.stage);
    };
  }, [channel, studyUid, winner, chooseProtocol, goToStage]);
  useEffect(() => {
    if (!channel || !winner || displays < 2) return;
    const key = `${winner}\n${stage}`;
    if (received.current === key) return;
    channel.postMessage({ studyUid, protocolId: winner, stage } satisfies ReadingMessage);
  }, [channel, studyUid, winner, stage, displays]);

  return {
    display: place.display,
    displays,
    spread: async () => {
      const host = hostBridge();
      const [all, here] = await Promise.all([host.displays(), host.currentDisplayId()]);
      const others = all.filter((d) => d.id !== here);
      if (others.length === 0) return 'Only one display is known (in a browser, allow window management when asked).';
      const count = others.length + 1;
      const query = (k: number) => new URLSearchParams({ display: String(k), displays: String(count), ...(winner ? { protocol: winner } : {}), stage: String(stage) });
      for (const [i, other] of others.entries()) await host.openWindowOnDisplay(other.id, `/view/${encodeURIComponent(studyUid)}?${query(i + 1).toString()}`);
      setDisplays(count);
      return `Spread over ${count} displays.`;
    },
  };
}
