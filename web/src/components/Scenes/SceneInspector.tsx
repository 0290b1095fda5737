import type { Scene } from "../../api/client";
import { useDraft } from "../../hooks/useDraft";
import { useScenePatch } from "../../hooks/useSceneEdits";
import { formatSceneTime, type SceneTime } from "../../lib/timing";
import { FieldError } from "../ui/FieldError";
import { Select } from "../ui/Select";
import { Slider } from "../ui/Slider";
import { VisualEditor } from "./VisualEditor";

const TITLE_POSITIONS = [
  { value: "top", label: "Top" },
  { value: "center", label: "Center" },
  { value: "bottom", label: "Bottom" },
] as const;

const TRANSITIONS = [
  { value: "cut", label: "Cut" },
  { value: "crossfade", label: "Crossfade" },
  { value: "fade-black", label: "Fade through black" },
  { value: "slide-left", label: "Slide left" },
  { value: "wipe", label: "Wipe" },
] as const;

interface Props {
  scene: Scene;
  number: number;
  time: SceneTime;
}

/** Everything about one scene but its product overlay. */
export function SceneInspector({ scene, number, time }: Props) {
  return (
    <section className="card inspector" aria-labelledby="inspector-title">
      <h2 id="inspector-title">Scene {number}</h2>
      <NarrationField key={`n-${scene.id}`} scene={scene} />
      <DurationField key={`d-${scene.id}`} scene={scene} time={time} />
      <VisualEditor key={`v-${scene.id}`} scene={scene} />
      <TitleField key={`t-${scene.id}`} scene={scene} />
      <TransitionField key={`x-${scene.id}`} scene={scene} />
    </section>
  );
}

function NarrationField({ scene }: { scene: Scene }) {
  const patch = useScenePatch(scene.id);
  const { draft, change, flush } = useDraft(scene.narration, (narration) => patch.mutate({ narration }), 800);
  return (
    <div className="field">
      <label htmlFor="narration">Narration</label>
      <textarea
        id="narration"
        rows={4}
        maxLength={5000}
        value={draft}
        onChange={(e) => change(e.target.value)}
        onBlur={flush}
        aria-describedby="narration-error"
      />
      <FieldError error={patch.error} id="narration-error" />
    </div>
  );
}

function DurationField({ scene, time }: { scene: Scene; time: SceneTime }) {
  const patch = useScenePatch(scene.id);
  // Show the choice at once, not only when the server has answered.
  const sent = patch.isPending && patch.variables && "duration" in patch.variables ? patch.variables.duration : undefined;
  const fixed = sent !== undefined ? sent !== null : scene.duration != null;
  const { draft, change, flush } = useDraft(
    String(scene.duration ?? Number(time.duration.toFixed(1))),
    (text) => {
      const seconds = Number(text);
      if (text.trim() && Number.isFinite(seconds)) patch.mutate({ duration: seconds });
    },
    600,
  );
  return (
    <fieldset className="field">
      <legend>Duration</legend>
      <div className="row">
        <label className="inline">
          <input
            type="radio"
            name={`duration-${scene.id}`}
            checked={!fixed}
            onChange={() => patch.mutate({ duration: null })}
          />
          Automatic (follows the narration{!fixed ? `, ${formatSceneTime(time, { suffix: false })}` : ""})
        </label>
        <label className="inline">
          <input
            type="radio"
            name={`duration-${scene.id}`}
            checked={fixed}
            onChange={() => patch.mutate({ duration: Math.max(0.5, Number(time.duration.toFixed(1))) })}
          />
          Fixed
        </label>
        {fixed && (
          <label className="inline">
            <input
              type="number"
              className="narrow"
              min={0.5}
              max={600}
              step={0.1}
              value={draft}
              onChange={(e) => change(e.target.value)}
              onBlur={flush}
              aria-label="Duration in seconds"
            />
            s
          </label>
        )}
      </div>
      <FieldError error={patch.error} />
    </fieldset>
  );
}

function TitleField({ scene }: { scene: Scene }) {
  const patch = useScenePatch(scene.id);
  const position = scene.title?.position ?? "bottom";
  const { draft, change, flush } = useDraft(
    scene.title?.text ?? "",
    (text) => patch.mutate({ title: text.trim() ? { text, position } : null }),
    800,
  );
  return (
    <fieldset className="field">
      <legend>Title</legend>
      <div className="row">
        <div className="field grow">
          <label htmlFor="title-text">Title text</label>
          <input id="title-text" value={draft} maxLength={200} onChange={(e) => change(e.target.value)} onBlur={flush} placeholder="No title" />
        </div>
        <Select
          label="Title position"
          value={position}
          options={TITLE_POSITIONS}
          disabled={!scene.title}
          onValueChange={(value) => patch.mutate({ title: { text: scene.title?.text ?? "", position: value } })}
        />
      </div>
      <FieldError error={patch.error} />
    </fieldset>
  );
}

function TransitionField({ scene }: { scene: Scene }) {
  const patch = useScenePatch(scene.id);
  const type = scene.transition?.type ?? "cut";
  const { draft, change } = useDraft(
    scene.transition?.duration ?? 0.5,
    (duration) => patch.mutate({ transition: { duration } }),
    400,
  );
  return (
    <fieldset className="field">
      <legend>Transition into the next scene</legend>
      <div className="row">
        <Select label="Transition" value={type} options={TRANSITIONS} onValueChange={(value) => patch.mutate({ transition: { type: value } })} />
        {type !== "cut" && (
          <div className="grow">
            <Slider label="Transition length" value={draft} min={0} max={2} step={0.1} format={(v) => `${v.toFixed(1)} s`} onValueChange={change} />
          </div>
        )}
      </div>
      <FieldError error={patch.error} />
    </fieldset>
  );
}
