import * as RadixSwitch from "@radix-ui/react-switch";
import { useId } from "react";

interface Props {
  label: string;
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  disabled?: boolean;
}

/** An on/off switch with a visible label (Radix: role="switch", Space toggles). */
export function Switch({ label, checked, onCheckedChange, disabled }: Props) {
  const id = useId();
  return (
    <div className="switch-row">
      <RadixSwitch.Root
        id={id}
        className="switch"
        checked={checked}
        onCheckedChange={onCheckedChange}
        disabled={disabled}
      >
        <RadixSwitch.Thumb className="switch-thumb" />
      </RadixSwitch.Root>
      <label htmlFor={id}>{label}</label>
    </div>
  );
}
