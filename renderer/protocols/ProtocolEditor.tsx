/**
 * The hanging-protocol editor, beside the open study: the effective preset's
 * JSON, checked against the schema as you type (every problem with its JSON
 * pointer), a live preview of what it hangs on this study and why, Save to
 * the user folder, and Duplicate to start a new one from a built-in.
 * Closing it with unsaved edits asks first.
 */
import { useMemo, useRef, useState } from 'react';
import { protocolPaths, type ProtocolSaveRefusal } from '../../shared/api/protocols-api.js';
import { errorMessage } from '../../shared/error-message.js';
import { checkProtocolText } from '../../shared/hanging-protocols/validate-protocol.js';
import { ApiError } from '../app/lib/api-client.js';
import { useCloseGuard } from '../app/lib/close-guards.js';
import { useEscapeLayer } from '../app/lib/use-shortcuts.js';
import { previewRows } from './preview.js';
import { hang, type HangingProtocolState } from './use-hanging-protocol.js';

const pretty = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

async function save(id: string, text: string): Promise<{ file: string }> {
  const response = await fetch(protocolPaths.save(id), { method: 'PUT', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: text });
  if (response.ok) return (await response.json()) as { file: string };
  const body = (await response.json().catch(() => ({ error: response.statusText, issues: [] }))) as ProtocolSaveRefusal;
  throw new ApiError(response.status, protocolPaths.save(id), body.error);
}

/** `panelId`: the side panel it is shown in, whose closing waits for the reader's answer when there are unsaved edits. */
export function ProtocolEditor({ hanging, onClose, panelId }: { hanging: HangingProtocolState; onClose: () => void; panelId?: string }) {
  const { catalog, input, result } = hanging;
  const [text, setText] = useState(() => {
    const entry = catalog?.protocols.find((p) => p.protocol.id === result?.winner?.id) ?? catalog?.protocols[0];
    return entry ? pretty(entry.protocol) : '';
  });
  /** The text as last opened or saved: anything else is an unsaved edit. */
  const [saved, setSaved] = useState(text);
  const [status, setStatus] = useState<string>();
  const [asking, setAsking] = useState(false);
  const discarded = useRef(false);
  const unsaved = text !== saved;
  useCloseGuard(panelId, () => {
    if (!unsaved || discarded.current) return true;
    setAsking(true);
    return false;
  });
  useEscapeLayer(asking, () => setAsking(false));
  const discard = () => {
    discarded.current = true;
    setAsking(false);
    onClose();
  };

  const check = useMemo(() => checkProtocolText(text), [text]);
  const preview = useMemo(() => {
    if (!check.ok || !input || !catalog) return undefined;
    const others = catalog.protocols.map((p) => p.protocol).filter((p) => p.id !== check.protocol.id);
    try {
      return hang(input, [...others, check.protocol], check.protocol.id);
    } catch (e) {
      return errorMessage(e);
    }
  }, [check, input, catalog]);

  const open = (id: string) => {
    const entry = catalog?.protocols.find((p) => p.protocol.id === id);
    if (entry) {
      setText(pretty(entry.protocol));
      setSaved(pretty(entry.protocol));
    }
    setStatus(undefined);
  };
  const duplicate = () => {
    if (!check.ok) return;
    const taken = new Set(catalog?.protocols.map((p) => p.protocol.id));
    let id = `${check.protocol.id}-copy`;
    for (let n = 2; taken.has(id); n++) id = `${check.protocol.id}-copy-${n}`;
    setText(pretty({ ...check.protocol, id, name: `${check.protocol.name} (copy)` }));
    setStatus(`Duplicated as "${id}": not saved yet.`);
  };
  const onSave = () => {
    if (!check.ok) return;
    save(check.protocol.id, text).then(
      ({ file }) => {
        setSaved(text);
        setStatus(`Saved to ${file}.`);
      },
      (e: unknown) => setStatus(`Not saved: ${errorMessage(e)}`),
    );
  };
  const layerOf = (id: string) => catalog?.protocols.find((p) => p.protocol.id === id)?.layer;

  return (
    <aside className="protocol-editor" aria-label="Hanging protocol editor">
      <header>
        <select aria-label="Protocol" value={check.ok ? check.protocol.id : ''} onChange={(e) => open(e.target.value)}>
          {!check.ok && <option value="">(being edited)</option>}
          {check.ok && !layerOf(check.protocol.id) && <option value={check.protocol.id}>{check.protocol.name} (new)</option>}
          {catalog?.protocols.map((p) => (
            <option key={p.protocol.id} value={p.protocol.id}>
              {p.protocol.name} ({p.layer})
            </option>
          ))}
        </select>
        <button type="button" onClick={duplicate} disabled={!check.ok}>
          Duplicate
        </button>
        <button type="button" onClick={onSave} disabled={!check.ok}>
          Save
        </button>
        <button type="button" onClick={onClose} title="Close the editor (Esc)">
          ✕
        </button>
      </header>
      {asking && (
        <div className="protocol-unsaved" role="alertdialog" aria-label="Unsaved changes">
          <p>{check.ok ? `Your changes to "${check.protocol.name}" are not saved.` : 'Your changes are not saved.'}</p>
          {/* Focused: Enter keeps the edits, Esc too (it closes the question only). */}
          <button type="button" autoFocus onClick={() => setAsking(false)}>
            Keep editing
          </button>
          <button type="button" onClick={discard}>
            Discard changes
          </button>
        </div>
      )}
      <textarea className="protocol-text" aria-label="Protocol JSON" spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />
      {status && <p className="protocol-status">{status}</p>}
      {!check.ok && (
        <ul className="protocol-issues" aria-label="Problems">
          {check.issues.map((issue) => (
            <li key={`${issue.pointer}\n${issue.message}`}>
              <code>{issue.pointer || '/'}</code> {issue.message}
            </li>
          ))}
        </ul>
      )}
      {typeof preview === 'string' && <p className="protocol-issues">{preview}</p>}
      {preview && typeof preview !== 'string' && (
        <section className="protocol-preview" aria-label="Preview on this study">
          <p>
            {preview.winner?.forced ? 'Does not match this study' : `Matches this study (score ${preview.winner?.score ?? 0})`}
            {preview.priors.chosen.length > 0 && ` · priors: ${preview.priors.chosen.map((p) => `${p.ref} ${p.studyDate ?? ''}`).join(', ')}`}
            {preview.missingPriors.length > 0 && ` · ${preview.missingPriors.length} prior(s) wanted and not held`}
          </p>
          <table>
            <thead>
              <tr>
                <th>Stage</th>
                <th>Screen / viewport</th>
                <th>Selector</th>
                <th>Shows</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              {previewRows(preview).map((row) => (
                <tr key={`${row.stage}\n${row.where}`} className={row.matched ? 'matched' : 'unmatched'}>
                  <td>{row.stage}</td>
                  <td>{row.where}</td>
                  <td>{row.selector}</td>
                  <td>{row.shown}</td>
                  <td>{row.why}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </aside>
  );
}
