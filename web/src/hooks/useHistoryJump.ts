import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { edits } from "../api/edits";
import { useEditor } from "./useEditor";
import { keys } from "./queryKeys";

export interface JumpProgress {
  /** The history position being jumped to. */
  target: number;
  /** Undo or redo steps sent so far, and in all. */
  done: number;
  total: number;
}

/**
 * Jump to any point of a project's history, the way a person would get there: one undo (or
 * redo) after another, each through the editor's queue (so each sends the revision the previous
 * one returned as `If-Match`). The server has no "go to" operation; positions are consecutive,
 * so the distance between two positions is the number of steps.
 */
export function useHistoryJump() {
  const { project, run, setJumping } = useEditor();
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<JumpProgress | null>(null);
  const [error, setError] = useState<unknown>(null);

  const jump = useCallback(
    async (from: number, target: number) => {
      const total = Math.abs(target - from);
      if (total === 0) return;
      const step = target < from ? edits.undo : edits.redo;
      setError(null);
      setJumping(true);
      setProgress({ target, done: 0, total });
      try {
        for (let done = 1; done <= total; done++) {
          await run(step);
          setProgress({ target, done, total });
        }
      } catch (failure) {
        setError(failure);
      } finally {
        setProgress(null);
        setJumping(false);
        // The steps already answered are in the cache; reload anyway, so that a jump cut short
        // (or raced by another tab) shows what the server has.
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: keys.project(project.id), exact: true }),
          queryClient.invalidateQueries({ queryKey: keys.history(project.id) }),
        ]);
      }
    },
    [run, setJumping, queryClient, project.id],
  );

  return { jump, progress, error };
}
