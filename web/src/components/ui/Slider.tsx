import * as RadixSlider from "@radix-ui/react-slider";

interface Props {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  onValueChange: (value: number) => void;
  /** Called when a drag or key press ends (good moment to save). */
  onValueCommit?: (value: number) => void;
  format?: (value: number) => string;
  disabled?: boolean;
}

/** A labelled slider (Radix: role="slider", arrows/PageUp/Home/End move it). */
export function Slider({ label, value, min, max, step, onValueChange, onValueCommit, format, disabled }: Props) {
  const shown = format ? format(value) : String(value);
  return (
    <div className="slider-row">
      <div className="slider-label">
        <span>{label}</span>
        <output aria-live="off">{shown}</output>
      </div>
      <RadixSlider.Root
        className="slider"
        value={[value]}
        min={min}
        max={max}
        step={step}
        disabled={disabled}
        onValueChange={(values) => onValueChange(values[0] ?? value)}
        onValueCommit={(values) => onValueCommit?.(values[0] ?? value)}
      >
        <RadixSlider.Track className="slider-track">
          <RadixSlider.Range className="slider-range" />
        </RadixSlider.Track>
        <RadixSlider.Thumb className="slider-thumb" aria-label={label} aria-valuetext={shown} />
      </RadixSlider.Root>
    </div>
  );
}
