/**
 * Every keyboard shortcut of the reading room, in one table: the handlers,
 * the help overlay and docs/reading-room.md all read it (a test checks that
 * the docs list each one). The reader's settings file may give an action
 * other keys (viewer-settings.ts); those replace the action's own.
 */
import { viewerSettings } from './viewer-settings.js';

export type ShortcutScope = 'global' | 'worklist' | 'viewer';

export const SHORTCUTS = [
  { id: 'help', scope: 'global', keys: ['?'], description: 'Show or hide this list of shortcuts' },
  { id: 'back', scope: 'global', keys: ['Escape'], description: 'Close the topmost menu, question, help or panel; with none open in the viewer, back to the worklist' },

  { id: 'focusSearch', scope: 'worklist', keys: ['/'], description: 'Go to the patient name filter' },
  { id: 'rowPrevious', scope: 'worklist', keys: ['ArrowUp', 'k'], description: 'Select the previous study' },
  { id: 'rowNext', scope: 'worklist', keys: ['ArrowDown', 'j'], description: 'Select the next study' },
  { id: 'rowFirst', scope: 'worklist', keys: ['Home'], description: 'Select the first study' },
  { id: 'rowLast', scope: 'worklist', keys: ['End'], description: 'Select the last study' },
  { id: 'open', scope: 'worklist', keys: ['Enter'], description: 'Open the selected study (on a PACS: open it when held here, else retrieve it)' },
  { id: 'toggleRead', scope: 'worklist', keys: ['m'], description: 'Mark the selected study read (or unread again)' },
  { id: 'sourceNext', scope: 'worklist', keys: ['g'], description: 'Search the next source: this node, then each configured PACS' },
  { id: 'retrieve', scope: 'worklist', keys: ['r'], description: 'Retrieve the selected study from the PACS being searched' },
  { id: 'send', scope: 'worklist', keys: ['S'], description: 'Send the selected study to another node, or route it by a rule' },

  { id: 'imagePrevious', scope: 'viewer', keys: ['ArrowUp', 'ArrowLeft'], description: 'Previous image (also: mouse wheel)' },
  { id: 'imageNext', scope: 'viewer', keys: ['ArrowDown', 'ArrowRight'], description: 'Next image (also: mouse wheel)' },
  { id: 'pagePrevious', scope: 'viewer', keys: ['PageUp'], description: '10 images back' },
  { id: 'pageNext', scope: 'viewer', keys: ['PageDown'], description: '10 images on' },
  { id: 'imageFirst', scope: 'viewer', keys: ['Home'], description: 'First image' },
  { id: 'imageLast', scope: 'viewer', keys: ['End'], description: 'Last image' },
  { id: 'viewportNext', scope: 'viewer', keys: ['Tab'], description: 'Next viewport' },
  { id: 'seriesPrevious', scope: 'viewer', keys: ['['], description: 'Previous series in the active viewport' },
  { id: 'seriesNext', scope: 'viewer', keys: [']'], description: 'Next series in the active viewport' },
  { id: 'toolWindowLevel', scope: 'viewer', keys: ['w'], description: 'Left drag: window/level' },
  { id: 'toolPan', scope: 'viewer', keys: ['p'], description: 'Left drag: pan (middle drag always pans)' },
  { id: 'toolZoom', scope: 'viewer', keys: ['z'], description: 'Left drag: zoom (right drag always zooms)' },
  { id: 'toolScroll', scope: 'viewer', keys: ['s'], description: 'Left drag: scroll through the images' },
  { id: 'toolLength', scope: 'viewer', keys: ['d'], description: 'Left drag: measure a distance (mm)' },
  { id: 'toolAngle', scope: 'viewer', keys: ['a'], description: 'Left clicks: measure an angle' },
  { id: 'toolCobbAngle', scope: 'viewer', keys: ['b'], description: 'Left drags: Cobb angle between two lines' },
  { id: 'toolEllipseRoi', scope: 'viewer', keys: ['e'], description: 'Left drag: elliptical ROI (mean, SD, min, max, area)' },
  { id: 'toolRectangleRoi', scope: 'viewer', keys: ['q'], description: 'Left drag: rectangular ROI (mean, SD, min, max, area)' },
  { id: 'toolProbe', scope: 'viewer', keys: ['x'], description: 'Left click: probe the value under the pointer (HU for CT)' },
  { id: 'deleteMeasurement', scope: 'viewer', keys: ['Delete', 'Backspace'], description: 'Delete the selected measurement' },
  { id: 'preset1', scope: 'viewer', keys: ['1'], description: 'CT brain (W 80, L 40)' },
  { id: 'preset2', scope: 'viewer', keys: ['2'], description: 'CT subdural (W 215, L 75)' },
  { id: 'preset3', scope: 'viewer', keys: ['3'], description: 'CT stroke (W 40, L 40)' },
  { id: 'preset4', scope: 'viewer', keys: ['4'], description: 'CT lung (W 1500, L -600)' },
  { id: 'preset5', scope: 'viewer', keys: ['5'], description: 'CT mediastinum (W 350, L 50)' },
  { id: 'preset6', scope: 'viewer', keys: ['6'], description: 'CT abdomen (W 400, L 60)' },
  { id: 'preset7', scope: 'viewer', keys: ['7'], description: 'CT liver (W 160, L 60)' },
  { id: 'preset8', scope: 'viewer', keys: ['8'], description: 'CT bone (W 1500, L 300)' },
  { id: 'presetDefault', scope: 'viewer', keys: ['0'], description: "The image's own window (from the file)" },
  { id: 'fit', scope: 'viewer', keys: ['f'], description: 'Fit the image to the viewport' },
  { id: 'actualPixels', scope: 'viewer', keys: ['n'], description: 'One image pixel per screen pixel (1:1)' },
  { id: 'rotate', scope: 'viewer', keys: ['t'], description: 'Rotate a quarter turn clockwise' },
  { id: 'flipHorizontal', scope: 'viewer', keys: ['h'], description: 'Flip left-right' },
  { id: 'flipVertical', scope: 'viewer', keys: ['v'], description: 'Flip top-bottom' },
  { id: 'cine', scope: 'viewer', keys: ['c'], description: 'Play or stop cine in the active viewport' },
  { id: 'cineFaster', scope: 'viewer', keys: ['+', '='], description: 'Cine faster (2 frames per second more)' },
  { id: 'cineSlower', scope: 'viewer', keys: ['-'], description: 'Cine slower' },
  { id: 'referenceLines', scope: 'viewer', keys: ['R'], description: "Reference lines: the active viewport's slice drawn on the other views of its frame of reference (on/off)" },
  { id: 'sync', scope: 'viewer', keys: ['y'], description: 'Synchronise scroll, zoom/pan and window between viewports of the same frame of reference (on/off)' },
  { id: 'invert', scope: 'viewer', keys: ['i'], description: 'Invert grey levels' },
  { id: 'reset', scope: 'viewer', keys: ['r'], description: 'Reset window, zoom, pan, rotation, flips and invert' },
  { id: 'overlays', scope: 'viewer', keys: ['o'], description: 'Show or hide the text overlays' },
  { id: 'layout', scope: 'viewer', keys: ['l'], description: 'Choose the viewport layout' },
  { id: 'markRead', scope: 'viewer', keys: ['m'], description: 'Mark the study read' },
  { id: 'sendStudy', scope: 'viewer', keys: ['S'], description: 'Send this study to another node, or route it by a rule' },
  { id: 'stageNext', scope: 'viewer', keys: ['g'], description: 'Hanging protocol: next stage' },
  { id: 'stagePrevious', scope: 'viewer', keys: ['G'], description: 'Hanging protocol: previous stage' },
  { id: 'protocolNext', scope: 'viewer', keys: ['u'], description: 'Hanging protocol: use the next protocol that matches the study' },
  { id: 'protocolEditor', scope: 'viewer', keys: ['E'], description: 'Hanging protocol: open or close the editor, with a preview on this study' },
  { id: 'mprToggle', scope: 'viewer', keys: ['M'], description: 'MPR: show the active viewport as axial, sagittal and coronal planes (again: back to the stack)' },
  { id: 'volume3dToggle', scope: 'viewer', keys: ['V'], description: '3D: volume rendering of the active viewport (again: back to the stack)' },
  { id: 'slabThicker', scope: 'viewer', keys: ['.'], description: 'MPR: thicker slab' },
  { id: 'slabThinner', scope: 'viewer', keys: [','], description: 'MPR: thinner slab (down to a single plane)' },
  { id: 'slabMip', scope: 'viewer', keys: ['X'], description: 'MPR slab: maximum intensity projection (MIP)' },
  { id: 'slabMinip', scope: 'viewer', keys: ['N'], description: 'MPR slab: minimum intensity projection (MinIP)' },
  { id: 'slabAverage', scope: 'viewer', keys: ['A'], description: 'MPR slab: average' },
] as const satisfies ReadonlyArray<{ id: string; scope: ShortcutScope; keys: readonly string[]; description: string }>;

export type Shortcut = (typeof SHORTCUTS)[number];
export type ActionId = Shortcut['id'];

/** The keys of a shortcut: the reader's own, else the built-in ones. */
export function keysOf(shortcut: Shortcut): readonly string[] {
  return viewerSettings().keys?.[shortcut.id] ?? shortcut.keys;
}

/** The action a key press means in `scope` (global shortcuts apply everywhere); a key the reader assigned wins over a built-in one. */
export function actionFor(key: string, scope: ShortcutScope): ActionId | undefined {
  const own = viewerSettings().keys ?? {};
  const inScope = SHORTCUTS.filter((s) => s.scope === scope || s.scope === 'global');
  return (inScope.find((s) => own[s.id]?.includes(key)) ?? inScope.find((s) => !own[s.id] && (s.keys as readonly string[]).includes(key)))?.id;
}

/** The first key of an action as people read it ("F3", "Shift+S"); undefined when it has none. */
export function actionKeyLabel(id: ActionId): string | undefined {
  const shortcut = SHORTCUTS.find((s) => s.id === id);
  const key = shortcut && keysOf(shortcut)[0];
  return key === undefined ? undefined : keyLabel(key);
}

/** What a shortcut does; the preset keys name the reader's own presets when the settings file has them. */
export function descriptionOf(shortcut: Shortcut): string {
  const presets = viewerSettings().windowPresets;
  const slot = /^preset(\d)$/.exec(shortcut.id)?.[1];
  if (!presets || slot === undefined) return shortcut.description;
  const preset = presets[Number(slot) - 1];
  return preset ? `${preset.name} (W ${preset.width}, L ${preset.center})` : 'No preset (your settings define fewer)';
}

/** How a key is written for people (help overlay, docs); capitals are typed with Shift. */
export function keyLabel(key: string): string {
  const names: Record<string, string> = { ArrowUp: '↑', ArrowDown: '↓', ArrowLeft: '←', ArrowRight: '→', Escape: 'Esc', PageUp: 'Page Up', PageDown: 'Page Down' };
  return names[key] ?? (/^[A-Z]$/.test(key) ? `Shift+${key}` : key);
}
