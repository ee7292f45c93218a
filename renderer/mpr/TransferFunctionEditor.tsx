/**
 * The transfer-function editor of the 3D pane: the volume's histogram (log
 * counts) with the opacity curve over it, and the colour bar under it.
 * Drag an opacity point to move it; click the curve's area to add one;
 * double click a point to remove it. Click a colour stop to recolour it;
 * double click the colour bar to add a stop.
 */
import { useRef, useState } from 'react';
import { addColorPoint, addOpacityPoint, colorAt, moveOpacityPoint, recolourPoint, removeOpacityPoint, type Histogram, type TransferFunction } from './transfer-function.js';

const WIDTH = 300;
const HEIGHT = 110;
const BAR = 14;
const PAD = 6;

interface Props {
  tf: TransferFunction;
  histogram: Histogram | undefined;
  /** The value range shown (HU for CT): the data's range. */
  range: readonly [number, number];
  onChange: (tf: TransferFunction) => void;
}

const toHex = (rgb: readonly number[]) => `#${rgb.map((c) => Math.round(Math.min(1, Math.max(0, c)) * 255).toString(16).padStart(2, '0')).join('')}`;
const fromHex = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];

export function TransferFunctionEditor({ tf, histogram, range, onChange }: Props) {
  const svg = useRef<SVGSVGElement>(null);
  const [dragging, setDragging] = useState<number>();
  const [low, high] = range;
  const span = high - low || 1;
  const x = (value: number) => PAD + ((value - low) / span) * (WIDTH - 2 * PAD);
  const y = (opacity: number) => PAD + (1 - opacity) * (HEIGHT - 2 * PAD);
  const valueAt = (px: number) => low + ((px - PAD) / (WIDTH - 2 * PAD)) * span;
  const opacityAt = (py: number) => 1 - (py - PAD) / (HEIGHT - 2 * PAD);
  const local = (event: React.PointerEvent | React.MouseEvent) => {
    const box = svg.current!.getBoundingClientRect();
    return { px: ((event.clientX - box.left) / box.width) * WIDTH, py: ((event.clientY - box.top) / box.height) * (HEIGHT + BAR + PAD) };
  };

  const peak = histogram ? Math.max(1, ...histogram.counts.map((c) => Math.log1p(c))) : 1;
  const bins = histogram?.counts ?? [];
  const binWidth = histogram ? (histogram.max - histogram.min) / Math.max(1, bins.length) : 0;
  const curve = tf.opacity.map((p) => `${x(Math.min(high, Math.max(low, p.value)))},${y(p.opacity)}`).join(' ');
  const stops = Array.from({ length: 24 }, (_, i) => low + (span * i) / 23);

  return (
    <div className="tf-editor" aria-label="Transfer function">
      <svg
        ref={svg}
        viewBox={`0 0 ${WIDTH} ${HEIGHT + BAR + PAD}`}
        width={WIDTH}
        height={HEIGHT + BAR + PAD}
        onPointerMove={(e) => {
          if (dragging === undefined) return;
          const { px, py } = local(e);
          onChange(moveOpacityPoint(tf, dragging, valueAt(px), opacityAt(py)));
        }}
        onPointerUp={() => setDragging(undefined)}
        onPointerLeave={() => setDragging(undefined)}
      >
        <rect className="tf-area" x={0} y={0} width={WIDTH} height={HEIGHT} onClick={(e) => {
          const { px, py } = local(e);
          onChange(addOpacityPoint(tf, valueAt(px), Math.min(1, Math.max(0, opacityAt(py)))));
        }} />
        {histogram &&
          bins.map((count, i) => {
            const value = histogram.min + i * binWidth;
            const height = (Math.log1p(count) / peak) * (HEIGHT - 2 * PAD);
            return <rect key={i} className="tf-histogram" x={x(value)} y={HEIGHT - PAD - height} width={Math.max(1, x(value + binWidth) - x(value))} height={height} />;
          })}
        <polyline className="tf-curve" points={curve} />
        {tf.opacity.map((p, i) => (
          <circle
            key={`o${i}`}
            className="tf-point"
            data-value={p.value}
            cx={x(Math.min(high, Math.max(low, p.value)))}
            cy={y(p.opacity)}
            r={5}
            onPointerDown={(e) => {
              e.stopPropagation();
              (e.target as Element).setPointerCapture?.(e.pointerId);
              setDragging(i);
            }}
            onDoubleClick={() => onChange(removeOpacityPoint(tf, i))}
          />
        ))}
        <g transform={`translate(0, ${HEIGHT})`}>
          {stops.slice(0, -1).map((value, i) => (
            <rect key={i} x={x(value)} y={0} width={x(stops[i + 1]!) - x(value) + 0.5} height={BAR} fill={toHex(colorAt(tf, value))} onDoubleClick={(e) => onChange(addColorPoint(tf, valueAt(local(e).px)))} />
          ))}
          {tf.color.map((p, i) =>
            p.value < low || p.value > high ? null : (
              <foreignObject key={`c${i}`} x={x(p.value) - 6} y={0} width={12} height={BAR}>
                <input
                  type="color"
                  className="tf-color-stop"
                  title={`Colour at ${Math.round(p.value)}`}
                  value={toHex(p.rgb)}
                  onChange={(e) => onChange(recolourPoint(tf, i, fromHex(e.target.value)))}
                />
              </foreignObject>
            ),
          )}
        </g>
      </svg>
      <div className="tf-range">
        <span>{Math.round(low)}</span>
        <span>{Math.round(high)}</span>
      </div>
    </div>
  );
}
