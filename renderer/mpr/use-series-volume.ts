/** A pane's volume: opened when the pane knows what to load, released when it stops showing it. */
import { useEffect, useState } from 'react';
import { errorMessage } from '../../shared/error-message.js';
import type { GantryTilt } from '../../shared/volume/slice-geometry.js';
import type { ViewerImage } from '../imaging/study-series.js';
import { openSeriesVolume, type SeriesVolume, type VolumeVariant } from './volume-loading.js';

/** `tilt`: the plan's gantry tilt, undone by drawing each slice where its position says. */
export function useSeriesVolume(seriesUid: string, images: readonly ViewerImage[] | undefined, variant: VolumeVariant | undefined, tilt?: GantryTilt): { volume?: SeriesVolume; error?: string } {
  const [state, setState] = useState<{ volume?: SeriesVolume; error?: string }>({});
  useEffect(() => {
    if (!images || !variant) return;
    let cancelled = false;
    let opened: SeriesVolume | undefined;
    setState({});
    openSeriesVolume(seriesUid, images, variant, tilt).then(
      (volume) => {
        if (cancelled) return volume.release();
        opened = volume;
        setState({ volume });
      },
      (e: unknown) => !cancelled && setState({ error: `The volume could not be built: ${errorMessage(e)}` }),
    );
    return () => {
      cancelled = true;
      opened?.release();
    };
  }, [seriesUid, images, variant, tilt]);
  return state;
}
