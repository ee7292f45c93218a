/**
 * Send… for studies chosen in the worklist or open in the viewer: to one
 * destination (a DICOM node or a DICOMweb node; AI engines marked), or by a
 * routing rule (its destinations, priority and form). Each study becomes a
 * job of the node's send queue; the queue panel shows how it goes.
 */
import { useEffect, useState } from 'react';
import { apiPaths, type SendRequest } from '../../shared/api/app-api.js';
import type { RoutesResponse, RunRuleRequest } from '../../shared/api/routes-api.js';
import { errorMessage } from '../../shared/error-message.js';
import { getJson, postJson } from '../app/lib/api-client.js';
import { useShortcuts } from '../app/lib/use-shortcuts.js';
import { destinationLabel, queuedText, ruleLabel } from './send-words.js';

export interface StudyToSend {
  studyUid: string;
  /** How the reader knows it: "DOE, JANE — CT chest". */
  label: string;
}

type Choice = { by: 'destination'; name: string } | { by: 'rule'; id: string };

export function SendDialog({ studies, onClose }: { studies: readonly StudyToSend[]; onClose: () => void }) {
  const [routes, setRoutes] = useState<RoutesResponse>();
  const [loadError, setLoadError] = useState<string>();
  const [choice, setChoice] = useState<Choice>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ text: string; failed: boolean }>();
  useShortcuts('global', { back: onClose }, true);

  useEffect(() => {
    getJson<RoutesResponse>(apiPaths.routes).then(setRoutes, (e: unknown) => setLoadError(errorMessage(e)));
  }, []);
  const rules = routes?.rules.filter((r) => r.enabled) ?? [];

  const send = async () => {
    if (!choice) return;
    setBusy(true);
    const failures: string[] = [];
    for (const study of studies) {
      const request = choice.by === 'destination' ? postJson(apiPaths.send, { node: choice.name, studyUid: study.studyUid } satisfies SendRequest) : postJson(apiPaths.runRoute, { rule: choice.id, studyUid: study.studyUid } satisfies RunRuleRequest);
      await request.catch((e: unknown) => failures.push(`${study.label}: ${errorMessage(e)}`));
    }
    const where = choice.by === 'destination' ? `for ${choice.name}` : `by the rule "${rules.find((r) => r.id === choice.id)?.description ?? choice.id}"`;
    setResult({ text: queuedText(studies.length - failures.length, where, failures), failed: failures.length > 0 });
    setBusy(false);
  };

  const title = studies.length === 1 ? `Send ${studies[0]!.label}` : `Send ${studies.length} studies`;
  return (
    <div className="modal-backdrop" onClick={onClose}>
      {/* Keys stay in the dialog: Enter on its buttons must not open the study behind it (Escape closes it, handled first). */}
      <div className="send-dialog" role="dialog" aria-label="Send studies" onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
        <h2>{title}</h2>
        {loadError && <p className="send-note failed" role="alert">Where to send cannot be read from the node: {loadError}</p>}
        {!routes && !loadError && <p className="empty">Reading the destinations…</p>}
        {routes && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void send();
            }}
          >
            <fieldset disabled={busy || result !== undefined}>
              <legend>To a destination</legend>
              {routes.destinations.length === 0 && <p className="empty">No destination is configured.</p>}
              {routes.destinations.map((d) => (
                <label key={d.name} className="send-choice">
                  <input type="radio" name="send-choice" checked={choice?.by === 'destination' && choice.name === d.name} onChange={() => setChoice({ by: 'destination', name: d.name })} />
                  {destinationLabel(d)}
                </label>
              ))}
            </fieldset>
            {(rules.length > 0 || routes.problem) && (
              <fieldset disabled={busy || result !== undefined}>
                <legend>By a routing rule</legend>
                {routes.problem && <p className="send-note warn">The routing file has a problem, the rules below are those still in force: {routes.problem}</p>}
                {rules.map((r) => (
                  <label key={r.id} className="send-choice">
                    <input type="radio" name="send-choice" checked={choice?.by === 'rule' && choice.id === r.id} onChange={() => setChoice({ by: 'rule', id: r.id })} />
                    {ruleLabel(r)}
                  </label>
                ))}
              </fieldset>
            )}
            {result && (
              <p className={result.failed ? 'send-note failed' : 'send-note'} role="status">
                {result.text}
              </p>
            )}
            <div className="send-actions">
              {result ? (
                <button type="button" onClick={onClose}>
                  Close
                </button>
              ) : (
                <>
                  <button type="button" className="quiet" onClick={onClose}>
                    Cancel
                  </button>
                  <button type="submit" className="primary" disabled={!choice || busy}>
                    {busy ? 'Queuing…' : 'Send'}
                  </button>
                </>
              )}
            </div>
          </form>
        )}
      </div>
    </div>
  );
}
