import { edits } from "../api/edits";
import type { Patch, Scene } from "../api/client";
import { useProjectEdit } from "./useEditor";

/** A merge-patch edit of one scene (each control group keeps its own, so errors stay local). */
export function useScenePatch(sceneId: string) {
  return useProjectEdit((ids, patch: Patch<Scene>) => edits.patchScene(ids, sceneId, patch));
}
