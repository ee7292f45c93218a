/**
 * The slim scrollbar at a viewport's right edge: where the image is in its
 * series, and a handle to drag through it (or a click to jump).
 */
import { useRef } from 'react';

/** The image a point on the track stands for: the track is split into `total` equal parts. */
export function imageAtTrackPosition(offset: number, trackLength: number, total: number): number {
  if (total <= 1 || trackLength <= 0) return 0;
  return Math.max(0, Math.min(total - 1, Math.floor((offset / trackLength) * total)));
}

export function StackScrollbar({ index, total, onScrollTo }: { index: number; total: number; onScrollTo: (index: number) => void }) {
  const track = useRef<HTMLDivElement>(null);
  if (total <= 1) return null;
  const scrollToPointer = (event: React.PointerEvent) => {
    const rect = track.current!.getBoundingClientRect();
    const target = imageAtTrackPosition(event.clientY - rect.top, rect.height, total);
    if (target !== index) onScrollTo(target);
  };
  const thumbShare = Math.max(1 / total, 0.03);
  return (
    <div
      ref={track}
      className="stack-scrollbar"
      role="scrollbar"
      aria-orientation="vertical"
      aria-valuemin={1}
      aria-valuemax={total}
      aria-valuenow={index + 1}
      aria-label="Image in series"
      onPointerDown={(event) => {
        if (event.button !== 0) return;
        event.currentTarget.setPointerCapture(event.pointerId);
        scrollToPointer(event);
      }}
      onPointerMove={(event) => {
        if (event.currentTarget.hasPointerCapture(event.pointerId)) scrollToPointer(event);
      }}
    >
      <div className="stack-scrollbar-thumb" style={{ top: `${(index / total) * 100}%`, height: `${thumbShare * 100}%` }} />
    </div>
  );
}
