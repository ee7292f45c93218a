/** The viewer's tool bar: every button has a key (keyboard-map.ts), shown in its tooltip. */
import type { PrimaryTool } from '../imaging/cornerstone-setup.js';
import { actionKeyLabel, type ActionId } from '../app/lib/keyboard-map.js';
import { windowPresets, type VoiPreset } from '../imaging/voi-presets.js';

interface Props {
  title: string;
  tool: PrimaryTool;
  overlays: boolean;
  synced: boolean;
  referenceLines: boolean;
  readStatus: string | undefined;
  onBack: () => void;
  onTool: (tool: PrimaryTool) => void;
  onPreset: (preset: VoiPreset | undefined) => void;
  onInvert: () => void;
  onReset: () => void;
  onOverlays: () => void;
  onSync: () => void;
  onReferenceLines: () => void;
  onLayout: () => void;
  onMarkRead: () => void;
  /** Send… (absent: no button). */
  onSend?: (() => void) | undefined;
}

const TOOLS: Array<{ tool: PrimaryTool; label: string; key: string; title: string }> = [
  { tool: 'windowLevel', label: 'W/L', key: 'W', title: 'window/level' },
  { tool: 'pan', label: 'Pan', key: 'P', title: 'pan' },
  { tool: 'zoom', label: 'Zoom', key: 'Z', title: 'zoom' },
  { tool: 'scroll', label: 'Scroll', key: 'S', title: 'scroll' },
  { tool: 'length', label: 'Length', key: 'D', title: 'distance' },
  { tool: 'angle', label: 'Angle', key: 'A', title: 'angle' },
  { tool: 'cobbAngle', label: 'Cobb', key: 'B', title: 'Cobb angle' },
  { tool: 'ellipseRoi', label: 'Ellipse', key: 'E', title: 'elliptical ROI' },
  { tool: 'rectangleRoi', label: 'Rect', key: 'Q', title: 'rectangular ROI' },
  { tool: 'probe', label: 'Probe', key: 'X', title: 'probe' },
];

export function ViewerToolbar(props: Props) {
  const presets = windowPresets();
  return (
    <div className="viewer-toolbar" role="toolbar" aria-label="Viewer tools">
      <button type="button" onClick={props.onBack} title="Back to the worklist (Esc)" aria-label="Back to the worklist">
        ←
      </button>
      <span className="viewer-title">{props.title}</span>
      <span className="spacer" />
      {TOOLS.map(({ tool, label, key, title }) => (
        <button type="button" key={tool} className={props.tool === tool ? 'active' : ''} aria-pressed={props.tool === tool} onClick={() => props.onTool(tool)} title={`Left button: ${title} (${key})`}>
          {label}
        </button>
      ))}
      <select
        aria-label="Window preset"
        value=""
        onChange={(e) => {
          const choice = e.target.value;
          props.onPreset(choice === 'image' ? undefined : presets[Number(choice)]);
          e.target.blur();
        }}
      >
        <option value="" disabled>
          Window…
        </option>
        <option value="image">Image default (0)</option>
        {presets.map((p, i) => {
          const key = actionKeyLabel(`preset${i + 1}` as ActionId);
          return (
            <option key={p.name} value={i}>
              {p.name} {p.width}/{p.center}
              {key ? ` (${key})` : ''}
            </option>
          );
        })}
      </select>
      <button type="button" onClick={props.onInvert} title="Invert (I)">
        Invert
      </button>
      <button type="button" onClick={props.onReset} title="Reset (R)">
        Reset
      </button>
      <button type="button" className={props.overlays ? 'active' : ''} aria-pressed={props.overlays} onClick={props.onOverlays} title="Overlays (O)">
        Overlays
      </button>
      <button type="button" className={props.synced ? 'active' : ''} aria-pressed={props.synced} onClick={props.onSync} title="Synchronise viewports of the same frame of reference (Y)">
        Sync
      </button>
      <button type="button" className={props.referenceLines ? 'active' : ''} aria-pressed={props.referenceLines} onClick={props.onReferenceLines} title="Reference lines: the active slice on the other views (Shift+R)">
        Ref lines
      </button>
      <button type="button" onClick={props.onLayout} title="Layout (L)">
        Layout
      </button>
      <button type="button" onClick={props.onMarkRead} disabled={props.readStatus === 'read'} title="Mark the study read (M)">
        {props.readStatus === 'read' ? 'Read ✓' : 'Mark read'}
      </button>
      {props.onSend && (
        <button type="button" onClick={props.onSend} title="Send this study to another node, or route it by a rule (Shift+S)">
          Send…
        </button>
      )}
    </div>
  );
}
