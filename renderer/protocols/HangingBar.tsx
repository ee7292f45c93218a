/** The hanging protocol in use and its stage, with the keys to move on; a line under the tool bar. */
import { errorMessage } from '../../shared/error-message.js';
import type { HangingProtocolState } from './use-hanging-protocol.js';
import { useState } from 'react';
import type { DisplaySpread } from './use-display-spread.js';
import type { RemotePriorStatus } from './use-remote-priors.js';

interface Props {
  hanging: HangingProtocolState;
  remotePriors: RemotePriorStatus | undefined;
  spread: DisplaySpread;
  /** The reader has changed the layout: the stage is no longer re-hung by itself. */
  manual: boolean;
  onStage: (step: () => void) => () => void;
  onEdit: () => void;
}

export function HangingBar({ hanging, remotePriors, spread, manual, onStage, onEdit }: Props) {
  const [spreadStatus, setSpreadStatus] = useState<string>();
  const { result, stage, error } = hanging;
  if (error) return <div className="hanging-bar error">{error}</div>;
  if (!result?.winner) return null;
  const current = result.stages[stage];
  const active = result.stages.filter((s) => s.active).length;
  const missing = result.missingPriors.length;
  return (
    <div className="hanging-bar" aria-label="Hanging protocol">
      <span className="hanging-protocol" title={`${result.winner.id} v${result.winner.version}, score ${result.winner.score}`}>
        {result.winner.name}
        {result.winner.forced && ' (chosen, does not match)'}
      </span>
      {current && (
        <span className="hanging-stage">
          {current.name} ({current.index + 1}/{result.stages.length})
        </span>
      )}
      {active > 1 && (
        <>
          <button type="button" onClick={onStage(hanging.previousStage)} title="Previous stage (Shift+G)">
            ◀
          </button>
          <button type="button" onClick={onStage(hanging.nextStage)} title="Next stage (g)">
            ▶
          </button>
        </>
      )}
      <button type="button" onClick={onStage(hanging.nextProtocol)} title="Next protocol that matches (u)">
        Next protocol
      </button>
      {current && current.screens.length > 1 && spread.displays === 1 && (
        <button
          type="button"
          onClick={() => spread.spread().then(setSpreadStatus, (e: unknown) => setSpreadStatus(`Could not spread: ${errorMessage(e)}`))}
          title={`This stage has ${current.screens.length} screens: show them on the other displays`}
        >
          Spread over displays
        </button>
      )}
      {spread.displays > 1 && <span className="hanging-display">Display {spread.display + 1} of {spread.displays}</span>}
      {spreadStatus && <span className="hanging-spread">{spreadStatus}</span>}
      <button type="button" onClick={onEdit} title="Edit hanging protocols, with a preview on this study (Shift+E)">
        Edit
      </button>
      {missing > 0 && <span className="hanging-missing">{priorText(missing, remotePriors)}</span>}
      {manual && <span className="hanging-manual">Changed by you: g or ▶ hangs a stage again</span>}
    </div>
  );
}

function priorText(missing: number, status: RemotePriorStatus | undefined): string {
  const wanted = missing === 1 ? 'A prior it wants is not held here' : `${missing} priors it wants are not held here`;
  switch (status?.state) {
    case 'searching':
      return `${wanted}: searching the PACS…`;
    case 'retrieving':
      return `${wanted}: retrieving ${status.count === 1 ? 'it' : status.count} from ${status.node}…`;
    case 'none-found':
      return status.searched > 0 ? `${wanted}, nor on any PACS` : `${wanted}; no PACS is set up to search for it`;
    case 'failed':
      return `${wanted}; fetching it failed: ${status.reason}`;
    default:
      return wanted;
  }
}
