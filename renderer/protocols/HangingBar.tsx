/** The hanging protocol in use and its stage, with the keys to move on; a line under the tool bar. */
import type { HangingProtocolState } from './use-hanging-protocol.js';

interface Props {
  hanging: HangingProtocolState;
  /** The reader has changed the layout: the stage is no longer re-hung by itself. */
  manual: boolean;
  onStage: (step: () => void) => () => void;
  onEdit: () => void;
}

export function HangingBar({ hanging, manual, onStage, onEdit }: Props) {
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
      <button type="button" onClick={onEdit} title="Edit hanging protocols, with a preview on this study (Shift+E)">
        Edit
      </button>
      {missing > 0 && <span className="hanging-missing">{missing === 1 ? 'A prior it wants is not held here' : `${missing} priors it wants are not held here`}</span>}
      {manual && <span className="hanging-manual">Changed by you: g or ▶ hangs a stage again</span>}
    </div>
  );
}
