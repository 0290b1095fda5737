import type { OverlayPosition } from "../../api/client";

type X = NonNullable<OverlayPosition["x"]>;
type Y = NonNullable<OverlayPosition["y"]>;
const XS: X[] = ["left", "center", "right"];
const YS: Y[] = ["top", "center", "bottom"];

export function positionLabel(x: X, y: Y): string {
  if (x === "center" && y === "center") return "center";
  if (y === "center") return `${x} middle`;
  if (x === "center") return `${y} center`;
  return `${y} ${x}`;
}

interface Props {
  value: { x: X; y: Y };
  onChange: (value: { x: X; y: Y }) => void;
  disabled?: boolean;
  name: string;
}

/** Nine radio buttons in a 3×3 grid (arrow keys move between them, as in any radio group). */
export function PositionPicker({ value, onChange, disabled, name }: Props) {
  return (
    <fieldset className="position-picker" disabled={disabled}>
      <legend>Position</legend>
      <div className="position-grid">
        {YS.map((y) =>
          XS.map((x) => {
            const label = positionLabel(x, y);
            const checked = value.x === x && value.y === y;
            return (
              <label key={`${x}-${y}`} className={`position-cell${checked ? " is-checked" : ""}`} title={label}>
                <input
                  type="radio"
                  name={name}
                  className="visually-hidden"
                  value={`${x}-${y}`}
                  checked={checked}
                  aria-label={label}
                  onChange={() => onChange({ x, y })}
                />
                <span className="position-dot" aria-hidden />
              </label>
            );
          }),
        )}
      </div>
    </fieldset>
  );
}
