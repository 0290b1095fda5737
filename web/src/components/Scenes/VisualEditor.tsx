import { useState } from "react";
import type { Scene, Visual } from "../../api/client";
import { useDraft } from "../../hooks/useDraft";
import { useScenePatch } from "../../hooks/useSceneEdits";
import { useUpload } from "../../hooks/useUpload";
import { FieldError } from "../ui/FieldError";
import { FileButton } from "../ui/FileButton";
import { Select } from "../ui/Select";

type VisualType = Visual["type"];

const TYPES = [
  { value: "color", label: "Colour" },
  { value: "gradient", label: "Gradient" },
  { value: "image", label: "Image" },
  { value: "video", label: "Video" },
] as const;

const MOTIONS = [
  { value: "none", label: "None" },
  { value: "zoom-in", label: "Zoom in" },
  { value: "zoom-out", label: "Zoom out" },
  { value: "pan-left", label: "Pan left" },
  { value: "pan-right", label: "Pan right" },
] as const;

const FITS = [
  { value: "cover", label: "Fill the frame (crop)" },
  { value: "contain", label: "Fit inside (letterbox)" },
] as const;

/** The scene's background: colour, gradient, or an uploaded image or video. */
export function VisualEditor({ scene }: { scene: Scene }) {
  const patch = useScenePatch(scene.id);
  const upload = useUpload();
  const visual: Visual = scene.visual ?? { type: "color", color: "#111827" };
  const [pendingType, setPendingType] = useState<VisualType | null>(null);
  const shownType = pendingType ?? visual.type;

  const chooseType = (type: VisualType) => {
    if (type === visual.type) return setPendingType(null);
    if (type === "color") patch.mutate({ visual: { type, color: "#111827" } });
    else if (type === "gradient") patch.mutate({ visual: { type, colors: ["#0EA5E9", "#6366F1"], angle: 135 } });
    setPendingType(type === "image" || type === "video" ? type : null);
  };

  const uploadMedia = (file: File, type: "image" | "video") =>
    upload.mutate(file, {
      onSuccess: (asset) => {
        patch.mutate({ visual: { type, src: asset.ref } as Visual });
        setPendingType(null);
      },
    });

  return (
    <fieldset className="field visual-editor">
      <legend>Visual</legend>
      <div className="row wrap">
        <Select label="Visual type" value={shownType} options={TYPES} onValueChange={chooseType} />
        {shownType === "color" && visual.type === "color" && (
          <ColorInput label="Background colour" value={visual.color ?? "#111827"} onCommit={(color) => patch.mutate({ visual: { type: "color", color } })} />
        )}
        {shownType === "gradient" && visual.type === "gradient" && (
          <>
            {(visual.colors ?? ["#0EA5E9", "#6366F1"]).slice(0, 2).map((color, i, colors) => (
              <ColorInput
                key={i}
                label={`Gradient colour ${i + 1}`}
                value={color}
                onCommit={(next) => patch.mutate({ visual: { type: "gradient", colors: colors.map((c, j) => (j === i ? next : c)) } })}
              />
            ))}
            <NumberInput label="Angle (°)" value={visual.angle ?? 135} min={0} max={360} step={5} onCommit={(angle) => patch.mutate({ visual: { type: "gradient", angle } })} />
            <Select label="Motion" value={visual.motion ?? "none"} options={MOTIONS} onValueChange={(motion) => patch.mutate({ visual: { type: "gradient", motion } })} />
          </>
        )}
        {(shownType === "image" || shownType === "video") && (
          <div className="field">
            {visual.type === shownType ? (
              <span className="muted">Using {visual.src}</span>
            ) : (
              <span className="muted">Upload {shownType === "image" ? "an image" : "a video"} to use it.</span>
            )}
            <FileButton
              label={shownType === "image" ? "Upload image" : "Upload video"}
              accept={shownType === "image" ? "image/*,.heic,.heif,.avif" : "video/mp4,video/quicktime,video/webm"}
              busy={upload.isPending}
              onFile={(file) => uploadMedia(file, shownType)}
            />
          </div>
        )}
        {shownType === "image" && visual.type === "image" && (
          <>
            <Select label="Fit" value={visual.fit ?? "cover"} options={FITS} onValueChange={(fit) => patch.mutate({ visual: { type: "image", fit } })} />
            <Select label="Motion" value={visual.motion ?? "none"} options={MOTIONS} onValueChange={(motion) => patch.mutate({ visual: { type: "image", motion } })} />
          </>
        )}
        {shownType === "video" && visual.type === "video" && (
          <>
            <Select label="Fit" value={visual.fit ?? "cover"} options={FITS} onValueChange={(fit) => patch.mutate({ visual: { type: "video", fit } })} />
            <NumberInput label="Start at (s)" value={visual.start ?? 0} min={0} max={86400} step={0.5} onCommit={(start) => patch.mutate({ visual: { type: "video", start } })} />
          </>
        )}
      </div>
      <FieldError error={upload.error ?? patch.error} />
    </fieldset>
  );
}

function ColorInput({ label, value, onCommit }: { label: string; value: string; onCommit: (value: string) => void }) {
  const { draft, change } = useDraft(value.slice(0, 7), onCommit, 400);
  return (
    <label className="field color-field">
      <span>{label}</span>
      <input type="color" value={draft} onChange={(e) => change(e.target.value.toUpperCase())} />
    </label>
  );
}

function NumberInput(props: { label: string; value: number; min: number; max: number; step: number; onCommit: (value: number) => void }) {
  const { draft, change, flush } = useDraft(String(props.value), (text) => {
    const value = Number(text);
    if (text.trim() && Number.isFinite(value)) props.onCommit(value);
  }, 600);
  return (
    <label className="field">
      <span>{props.label}</span>
      <input className="narrow" type="number" min={props.min} max={props.max} step={props.step} value={draft} onChange={(e) => change(e.target.value)} onBlur={flush} />
    </label>
  );
}
