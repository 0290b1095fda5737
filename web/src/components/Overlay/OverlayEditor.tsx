/**
 * The product overlay of one scene: on/off, where (3×3), how big (10–80 % of the short side)
 * and how it comes in. Changes show at once in the controls, are saved together after a short
 * pause, and the still preview (rendered by the server from the saved project) follows.
 */
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { Patch, ProductOverlay } from "../../api/client";
import { useDebouncedCallback } from "../../hooks/useDebounced";
import { FieldError } from "../ui/FieldError";
import { FramePreview } from "../ui/FramePreview";
import { SavedIndicator } from "../ui/SavedIndicator";
import { Select } from "../ui/Select";
import { Slider } from "../ui/Slider";
import { Switch } from "../ui/Switch";
import { PositionPicker } from "./PositionPicker";

const ANIMATIONS = [
  { value: "fade", label: "Fade in" },
  { value: "zoom", label: "Zoom in" },
  { value: "slide", label: "Slide in" },
  { value: "none", label: "None" },
] as const;

type Position = { x: "left" | "center" | "right"; y: "top" | "center" | "bottom" };
interface Draft {
  enabled: boolean;
  position: Position;
  scale: number;
  animation: ProductOverlay["animation"];
}

function draftOf(overlay: ProductOverlay): Draft {
  return {
    enabled: overlay.enabled,
    position: { x: overlay.position?.x ?? "center", y: overlay.position?.y ?? "center" },
    scale: overlay.scale,
    animation: overlay.animation,
  };
}

interface Props {
  sceneId: string;
  overlay: ProductOverlay;
  /** The still frame of the saved project at the scene's midpoint (none while that is not known). */
  previewUrl: string | undefined;
  previewAlt: string;
  onSave: (patch: Patch<ProductOverlay>) => Promise<unknown>;
  /** Shown when the project has no product image yet (an upload control). */
  productImage?: ReactNode;
  hasProductImage: boolean;
  /** The output's aspect ratio ("16:9"), so the preview keeps its shape while it loads. */
  aspect?: string;
  debounceMs?: number;
}

export function OverlayEditor({ sceneId, overlay, previewUrl, previewAlt, onSave, productImage, hasProductImage, aspect, debounceMs = 350 }: Props) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(overlay));
  const pending = useRef<Patch<ProductOverlay>>({});
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(0);
  const [error, setError] = useState<unknown>(null);

  // Follow the server (undo, redo, another tab) while nothing is waiting to be saved.
  const serverKey = JSON.stringify(overlay);
  useEffect(() => {
    if (!dirty && saving === 0) setDraft(draftOf(overlay));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [serverKey, dirty, saving]);

  const save = useDebouncedCallback(() => {
    const patch = pending.current;
    pending.current = {};
    setDirty(false);
    setSaving((n) => n + 1);
    setError(null);
    onSave(patch)
      .catch((e: unknown) => setError(e))
      .finally(() => setSaving((n) => n - 1));
  }, debounceMs);

  const change = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    pending.current = { ...pending.current, ...patch };
    setDirty(true);
    save.call();
  };

  const disabled = !draft.enabled;
  return (
    <section className="card overlay-editor" aria-labelledby={`overlay-title-${sceneId}`}>
      <div className="card-header">
        <h2 id={`overlay-title-${sceneId}`}>Product overlay</h2>
        <SavedIndicator saving={saving > 0} dirty={dirty} error={Boolean(error)} />
      </div>
      {!hasProductImage && productImage}
      <div className="overlay-body">
        <div className="overlay-controls">
          <Switch label="Show the product" checked={draft.enabled} onCheckedChange={(enabled) => change({ enabled })} />
          <PositionPicker name={`overlay-position-${sceneId}`} value={draft.position} disabled={disabled} onChange={(position) => change({ position })} />
          <Slider
            label="Size"
            value={Math.round(draft.scale * 100)}
            min={10}
            max={80}
            step={1}
            disabled={disabled}
            format={(v) => `${v} %`}
            onValueChange={(percent) => change({ scale: Math.round(percent) / 100 })}
          />
          <Select label="Animation" value={draft.animation} options={ANIMATIONS} disabled={disabled} onValueChange={(animation) => change({ animation })} />
          <FieldError error={error} />
        </div>
        <FramePreview src={previewUrl} alt={previewAlt} className="overlay-preview" aspect={aspect} />
      </div>
    </section>
  );
}
