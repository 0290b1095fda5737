import type { Output, Patch, ProjectDocument } from "../../api/client";
import { edits } from "../../api/edits";
import { useEditor, useProjectEdit } from "../../hooks/useEditor";
import { FieldError } from "../ui/FieldError";
import { Select } from "../ui/Select";
import { Switch } from "../ui/Switch";

const ASPECTS = [
  { value: "16:9", label: "16:9 landscape" },
  { value: "9:16", label: "9:16 portrait" },
  { value: "1:1", label: "1:1 square" },
  { value: "4:5", label: "4:5 portrait" },
] as const;
const RESOLUTIONS = ["360", "480", "720", "1080", "1440", "2160"].map((r) => ({ value: r, label: `${r}p` }));
const FPS = ["24", "25", "30", "50", "60"].map((f) => ({ value: f, label: `${f} fps` }));

/** Output format and captions. */
export function OutputPanel() {
  const { project } = useEditor();
  const output = project.document.output;
  const outputEdit = useProjectEdit((ids, patch: Patch<Output>) => edits.patchProject(ids, { output: patch }));
  const captionsEdit = useProjectEdit((ids, patch: Patch<ProjectDocument>) => edits.patchProject(ids, patch));
  return (
    <section className="panel" aria-labelledby="output-title">
      <h2 id="output-title">Output</h2>
      <Select label="Aspect ratio" value={output?.aspect ?? "16:9"} options={ASPECTS} onValueChange={(aspect) => outputEdit.mutate({ aspect })} />
      <Select
        label="Resolution (short side)"
        value={String(output?.resolution ?? 1080)}
        options={RESOLUTIONS}
        onValueChange={(r) => outputEdit.mutate({ resolution: Number(r) as Output["resolution"] })}
      />
      <Select label="Frame rate" value={String(output?.fps ?? 30)} options={FPS} onValueChange={(f) => outputEdit.mutate({ fps: Number(f) as Output["fps"] })} />
      <FieldError error={outputEdit.error} />
      <Switch
        label="Burn in captions"
        checked={project.document.captions?.enabled ?? true}
        onCheckedChange={(enabled) => captionsEdit.mutate({ captions: { enabled } })}
      />
      <FieldError error={captionsEdit.error} />
    </section>
  );
}
