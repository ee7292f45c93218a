/** The patient-direction letters at the middle of each edge of a view (stack or MPR plane). */
import type { EdgeMarkers } from '../../shared/volume/orientation-labels.js';

const EDGES = ['top', 'bottom', 'left', 'right'] as const;

export function OrientationMarkers({ markers }: { markers: EdgeMarkers | undefined }) {
  if (!markers) return null;
  return (
    <>
      {EDGES.map((edge) => (
        <div key={edge} className={`orientation-marker marker-${edge}`}>
          {markers[edge]}
        </div>
      ))}
    </>
  );
}
