import { urls, type Music, type Patch } from "../../api/client";
import { edits } from "../../api/edits";
import { useMusicStyles } from "../../hooks/useCatalogs";
import { useDraft } from "../../hooks/useDraft";
import { useEditor, useProjectEdit } from "../../hooks/useEditor";
import { useSamplePlayer } from "../../hooks/useSamplePlayer";
import { useUpload } from "../../hooks/useUpload";
import { FieldError } from "../ui/FieldError";
import { SampleButton } from "../ui/SampleButton";
import { FileButton } from "../ui/FileButton";
import { Slider } from "../ui/Slider";
import { Switch } from "../ui/Switch";

/** Background music: on/off, style (with samples), a new variation, volume, or an own track. */
export function MusicPanel() {
  const { project } = useEditor();
  const music = project.document.music;
  const styles = useMusicStyles();
  const player = useSamplePlayer();
  const upload = useUpload();
  const patch = useProjectEdit((ids, body: Patch<Music>) => edits.patchMusic(ids, body));
  const volumeEdit = useProjectEdit((ids, volume: number) => edits.patchMusic(ids, { volume }));
  const regenerate = useProjectEdit((ids, _: void) => edits.regenerateMusic(ids));
  const volume = useDraft(Math.round((music?.volume ?? 0.15) * 100), (percent) => volumeEdit.mutate(percent / 100), 400);
  const enabled = music?.enabled ?? true;
  const ownTrack = music?.src ?? null;
  const chosenStyle = patch.isPending && patch.variables?.style ? patch.variables.style : music?.style;

  return (
    <section className="panel" aria-labelledby="music-title">
      <h2 id="music-title">Music</h2>
      <Switch label="Background music" checked={enabled} onCheckedChange={(on) => patch.mutate({ enabled: on })} />
      <Switch label="Lower the music under the voice (ducking)" checked={music?.ducking ?? true} disabled={!enabled} onCheckedChange={(ducking) => patch.mutate({ ducking })} />
      <Slider label="Music volume" value={volume.draft} min={0} max={100} step={1} disabled={!enabled} format={(v) => `${v} %`} onValueChange={volume.change} />
      <FieldError error={volumeEdit.error} />
      <fieldset className="field" disabled={!enabled || Boolean(ownTrack)}>
        <legend>Style{ownTrack ? " (using your own track)" : ""}</legend>
        {styles.isPending && <p>Loading styles…</p>}
        <FieldError error={styles.error} />
        <ul className="plain catalog">
          {styles.data?.map((option) => (
            <li key={option.id} className="catalog-item">
              <label className="inline grow">
                <input type="radio" name="music-style" value={option.id} checked={chosenStyle === option.id} onChange={() => patch.mutate({ style: option.id as Music["style"] })} />
                <span>
                  {option.name} <span className="muted">{option.description}</span>
                </span>
              </label>
              <SampleButton url={urls.musicSample(option.id)} name={option.name} player={player} />
            </li>
          ))}
        </ul>
        {player.error && <p className="field-error" role="alert">{player.error}</p>}
      </fieldset>
      <div className="row wrap">
        <button type="button" disabled={!enabled || Boolean(ownTrack) || regenerate.isPending} onClick={() => regenerate.mutate()}>
          New variation
        </button>
        <span className="muted">variation #{music?.seed ?? 1}</span>
      </div>
      <FieldError error={regenerate.error} />
      <div className="field">
        <span>Own track</span>
        {ownTrack ? (
          <div className="row">
            <span className="muted">{ownTrack}</span>
            <button type="button" onClick={() => patch.mutate({ src: null })}>
              Use generated music
            </button>
          </div>
        ) : null}
        <FileButton
          label={ownTrack ? "Replace your track" : "Upload your own track"}
          accept="audio/*"
          busy={upload.isPending}
          onFile={(file) => upload.mutate(file, { onSuccess: (asset) => patch.mutate({ src: asset.ref }) })}
        />
        <FieldError error={upload.error} />
      </div>
      <FieldError error={patch.error} />
    </section>
  );
}
