/**
 * The selected scene's product overlay on the player's picture: drag it to one of the 3×3
 * cells, resize it with the corner handle (10–80 % of the short side, as the Size control),
 * or use the keyboard (arrows move it a cell; on the handle they change its size). While
 * dragging, the safe-area margin (5 % of the short side, as the renderer uses) and the cells
 * show. Saved values are the same validated ones as the overlay controls.
 */
import { useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import type { Patch, ProductOverlay } from "../../api/client";

type X = "left" | "center" | "right";
type Y = "top" | "center" | "bottom";
const XS: X[] = ["left", "center", "right"];
const YS: Y[] = ["top", "center", "bottom"];
const MARGIN = 0.05; // of the short side: layers.margin

interface Props {
  overlay: ProductOverlay;
  /** width / height of the picture */
  ratio: number;
  sceneNumber: number;
  onChange: (patch: Patch<ProductOverlay>) => Promise<unknown>;
}

/** The box of an overlay, in fractions of the picture's width and height. */
function box(x: X, y: Y, scale: number, ratio: number) {
  const short = Math.min(ratio, 1); // short side in units where height = 1
  const w = (scale * short) / ratio;
  const h = scale * short;
  const mx = (MARGIN * short) / ratio;
  const my = MARGIN * short;
  const left = { left: mx, center: (1 - w) / 2, right: 1 - mx - w }[x];
  const top = { top: my, center: (1 - h) / 2, bottom: 1 - my - h }[y];
  return { left, top, w, h, mx, my };
}

const pct = (v: number) => `${(v * 100).toFixed(3)}%`;

export function OverlayHandle({ overlay, ratio, sceneNumber, onChange }: Props) {
  const stage = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<{ dx: number; dy: number; startX: number; startY: number } | null>(null);
  const [resize, setResize] = useState<{ startX: number; scale: number } | null>(null);
  const x = (overlay.position?.x ?? "center") as X;
  const y = (overlay.position?.y ?? "center") as Y;
  const scale = resize?.scale ?? overlay.scale;
  const b = box(x, y, scale, ratio);

  const fraction = (event: PointerEvent) => {
    const r = stage.current!.getBoundingClientRect();
    return { fx: (event.clientX - r.left) / r.width, fy: (event.clientY - r.top) / r.height, r };
  };
  const cellAt = (fx: number, fy: number) => ({
    x: XS[Math.min(2, Math.max(0, Math.floor(fx * 3)))]!,
    y: YS[Math.min(2, Math.max(0, Math.floor(fy * 3)))]!,
  });
  const move = (nx: X, ny: Y) => {
    if (nx !== x || ny !== y) void onChange({ position: { x: nx, y: ny } });
  };
  const setScale = (value: number) => {
    const clamped = Math.min(0.8, Math.max(0.1, Math.round(value * 100) / 100));
    if (clamped !== overlay.scale) void onChange({ scale: clamped });
  };

  const boxKeys = (event: KeyboardEvent) => {
    const step = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[event.key];
    if (!step) return;
    event.preventDefault();
    event.stopPropagation();
    const nx = XS[Math.min(2, Math.max(0, XS.indexOf(x) + step[0]!))]!;
    const ny = YS[Math.min(2, Math.max(0, YS.indexOf(y) + step[1]!))]!;
    move(nx, ny);
  };
  const handleKeys = (event: KeyboardEvent) => {
    const step = { ArrowLeft: -0.01, ArrowDown: -0.01, ArrowRight: 0.01, ArrowUp: 0.01 }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    event.stopPropagation();
    setScale(overlay.scale + step);
  };

  const dragging = drag !== null || resize !== null;
  return (
    <div ref={stage} className={`overlay-stage${dragging ? " dragging" : ""}`} data-testid="overlay-stage">
      {dragging && (
        <>
          <span className="safe-area" aria-hidden="true" style={{ left: pct(b.mx), right: pct(b.mx), top: pct(b.my), bottom: pct(b.my) }} />
          <span className="overlay-cells" aria-hidden="true" />
        </>
      )}
      <div
        className="overlay-box"
        data-testid="overlay-box"
        role="button"
        tabIndex={0}
        aria-label={`Product overlay of scene ${sceneNumber}: ${y} ${x}, ${Math.round(scale * 100)} %. Drag it, or use the arrow keys, to move it to another cell.`}
        style={{
          left: pct(b.left),
          top: pct(b.top),
          width: pct(b.w),
          height: pct(b.h),
          transform: drag ? `translate(${drag.dx}px, ${drag.dy}px)` : undefined,
        }}
        onKeyDown={boxKeys}
        onClick={(event) => event.stopPropagation()}
        onPointerDown={(event) => {
          event.stopPropagation();
          event.currentTarget.setPointerCapture?.(event.pointerId);
          setDrag({ dx: 0, dy: 0, startX: event.clientX, startY: event.clientY });
        }}
        onPointerMove={(event) => drag && setDrag({ ...drag, dx: event.clientX - drag.startX, dy: event.clientY - drag.startY })}
        onPointerUp={(event) => {
          if (!drag) return;
          setDrag(null);
          if (Math.abs(drag.dx) + Math.abs(drag.dy) < 4) return;
          const { fx, fy } = fraction(event);
          const cell = cellAt(fx, fy);
          move(cell.x, cell.y);
        }}
        onPointerCancel={() => setDrag(null)}
      />
      <span
        className="overlay-resize"
        data-testid="overlay-resize"
        role="slider"
        tabIndex={0}
        aria-label="Product overlay size"
        aria-valuemin={10}
        aria-valuemax={80}
        aria-valuenow={Math.round(scale * 100)}
        aria-valuetext={`${Math.round(scale * 100)} % of the short side`}
        onKeyDown={handleKeys}
        onPointerDown={(event) => {
          event.stopPropagation();
          event.currentTarget.setPointerCapture?.(event.pointerId);
          setResize({ startX: event.clientX, scale: overlay.scale });
        }}
        onPointerMove={(event) => {
          if (!resize) return;
          const { r } = fraction(event);
          const short = Math.min(r.width, r.height);
          const grow = x === "right" ? -1 : 1; // the handle sits on the side away from the edge
          const next = overlay.scale + (grow * (event.clientX - resize.startX)) / short;
          setResize({ ...resize, scale: Math.min(0.8, Math.max(0.1, next)) });
        }}
        onPointerUp={(event) => {
          event.stopPropagation();
          if (resize) setScale(resize.scale);
          setResize(null);
        }}
        onPointerCancel={() => setResize(null)}
        style={{ left: pct(x === "right" ? b.left : b.left + b.w), top: pct(b.top + b.h), visibility: drag ? "hidden" : undefined }}
      />
    </div>
  );
}
