import { useId, useRef } from "react";

interface Props {
  label: string;
  accept: string;
  onFile: (file: File) => void;
  busy?: boolean;
}

/** A file picker shown as a button; the input stays reachable for tests and assistive tech. */
export function FileButton({ label, accept, onFile, busy }: Props) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  return (
    <span className="file-button">
      <input
        ref={input}
        id={id}
        type="file"
        accept={accept}
        className="visually-hidden"
        aria-label={label}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) onFile(file);
          e.target.value = "";
        }}
      />
      <button type="button" onClick={() => input.current?.click()} disabled={busy} aria-hidden tabIndex={-1}>
        {busy ? "Uploading…" : label}
      </button>
    </span>
  );
}
