import { useState } from "react";
import { urls } from "../../api/client";
import { edits } from "../../api/edits";
import { useVoices } from "../../hooks/useCatalogs";
import { useDraft } from "../../hooks/useDraft";
import { useEditor, useProjectEdit } from "../../hooks/useEditor";
import { useSamplePlayer } from "../../hooks/useSamplePlayer";
import { FieldError } from "../ui/FieldError";
import { SampleButton } from "../ui/SampleButton";
import { Slider } from "../ui/Slider";
import { excerpt } from "../Scenes/SceneList";

/** The voice catalog (with samples), the speaking speed, and regenerating the voiceover. */
export function VoicePanel() {
  const { project } = useEditor();
  const document = project.document;
  const scenes = document.scenes ?? [];
  const voices = useVoices();
  const player = useSamplePlayer();
  const projectVoice = document.voice?.id ?? "";
  const [voiceId, setVoiceId] = useState(projectVoice);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const speedEdit = useProjectEdit((ids, speed: number) => edits.patchProject(ids, { voice: { speed } }));
  const regenerate = useProjectEdit((ids, body: { voiceId?: string; sceneIds?: string[] }) => edits.regenerateVoiceover(ids, body));
  const speed = useDraft(document.voice?.speed ?? 1, (value) => speedEdit.mutate(value), 400);
  const nameOf = (id: string) => voices.data?.find((v) => v.id === id)?.name ?? id;

  const toggleScene = (id: string, on: boolean) =>
    setChosen((set) => {
      const next = new Set(set);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <section className="panel" aria-labelledby="voice-title">
      <h2 id="voice-title">Voice</h2>
      <fieldset className="field">
        <legend>Voice for regeneration</legend>
        {voices.isPending && <p>Loading voices…</p>}
        <FieldError error={voices.error} />
        <ul className="plain catalog">
          {voices.data?.map((voice) => (
            <li key={voice.id} className="catalog-item">
              <label className="inline grow">
                <input type="radio" name="voice" value={voice.id} checked={voiceId === voice.id} onChange={() => setVoiceId(voice.id)} />
                <span>
                  {voice.name} <span className="muted">({voice.language}, {voice.quality})</span>
                  {voice.id === projectVoice && <span className="badge">project voice</span>}
                </span>
              </label>
              <SampleButton url={urls.voiceSample(voice.id)} name={voice.name} player={player} />
            </li>
          ))}
        </ul>
        {player.error && <p className="field-error" role="alert">{player.error}</p>}
      </fieldset>
      <Slider label="Speaking speed" value={speed.draft} min={0.5} max={2} step={0.05} format={(v) => `${v.toFixed(2)}×`} onValueChange={speed.change} />
      <FieldError error={speedEdit.error} />
      <fieldset className="field">
        <legend>Scenes</legend>
        <ul className="plain">
          {scenes.map((scene, i) => (
            <li key={scene.id}>
              <label className="inline">
                <input type="checkbox" checked={chosen.has(scene.id)} onChange={(e) => toggleScene(scene.id, e.target.checked)} />
                Scene {i + 1}: {excerpt(scene.narration, 32)} <span className="muted">({nameOf(scene.voice?.id ?? projectVoice)})</span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <div className="row wrap">
        <button
          type="button"
          className="primary"
          disabled={regenerate.isPending || scenes.length === 0}
          onClick={() => regenerate.mutate({ voiceId: voiceId || undefined })}
        >
          Regenerate all scenes
        </button>
        <button
          type="button"
          disabled={regenerate.isPending || chosen.size === 0}
          onClick={() => regenerate.mutate({ voiceId: voiceId || undefined, sceneIds: scenes.filter((s) => chosen.has(s.id)).map((s) => s.id) })}
        >
          Regenerate selected ({chosen.size})
        </button>
      </div>
      {regenerate.isPending && <p role="status">Regenerating the voiceover…</p>}
      {regenerate.isSuccess && !regenerate.isPending && <p role="status" className="ok">Voiceover regenerated with {nameOf(voiceId)}.</p>}
      <FieldError error={regenerate.error} />
    </section>
  );
}
