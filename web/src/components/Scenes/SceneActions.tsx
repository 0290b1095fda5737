import type { Scene } from "../../api/client";
import { edits } from "../../api/edits";
import { useProjectEdit } from "../../hooks/useEditor";
import { FieldError } from "../ui/FieldError";

interface Props {
  scenes: Scene[];
  selectedIndex: number;
  onSelect: (sceneId: string) => void;
}

/** Add a scene after the selected one, duplicate it, or delete it (undo brings it back). */
export function SceneActions({ scenes, selectedIndex, onSelect }: Props) {
  const add = useProjectEdit((ids, v: { scene: Partial<Scene>; index: number }) => edits.addScene(ids, v.scene, v.index));
  const remove = useProjectEdit((ids, sceneId: string) => edits.deleteScene(ids, sceneId));
  const selected = scenes[selectedIndex];
  const insertAt = selected ? selectedIndex + 1 : scenes.length;

  const addScene = (scene: Partial<Scene>) =>
    add.mutate(
      { scene, index: insertAt },
      { onSuccess: (project) => { const added = project.document.scenes?.[insertAt]; if (added) onSelect(added.id); } },
    );

  return (
    <div className="scene-actions">
      <div className="row wrap">
        <button type="button" onClick={() => addScene({ narration: "" })} disabled={add.isPending}>
          + Add scene
        </button>
        <button
          type="button"
          disabled={!selected || add.isPending}
          onClick={() => {
            if (!selected) return;
            const { id: _id, ...copy } = selected;
            addScene(copy);
          }}
        >
          Duplicate
        </button>
        <button
          type="button"
          className="danger"
          disabled={!selected || remove.isPending}
          onClick={() => {
            if (!selected) return;
            const neighbour = scenes[selectedIndex + 1] ?? scenes[selectedIndex - 1];
            remove.mutate(selected.id, { onSuccess: () => neighbour && onSelect(neighbour.id) });
          }}
        >
          Delete scene
        </button>
      </div>
      <FieldError error={add.error ?? remove.error} />
    </div>
  );
}
