/**
 * The editor's link to one project: the project from the query cache, and `run`, which sends
 * edits one after another (each with the revision the previous one returned as `If-Match`),
 * stores the answer in the cache, and on a 409 reloads the project and says so.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";
import { api, ApiError, unwrap, type ProjectPublic } from "../api/client";
import { keys } from "./queryKeys";

type Send = (ids: { projectId: string; ifMatch: number }) => Promise<ProjectPublic>;

export interface EditorState {
  project: ProjectPublic;
  /** Send one edit after those already queued; resolves with the new project. */
  run: (send: Send) => Promise<ProjectPublic>;
  /** A message for the whole editor (e.g. the project was reloaded after a conflict). */
  notice: string | null;
  dismissNotice: () => void;
  /** Edits in flight or queued. */
  pending: number;
  /** A history jump (several undos or redos) is under way: other history buttons wait. */
  jumping: boolean;
  setJumping: (jumping: boolean) => void;
}

const EditorContext = createContext<EditorState | null>(null);

export function useProjectQuery(projectId: string) {
  return useQuery({
    queryKey: keys.project(projectId),
    queryFn: async () =>
      unwrap(await api.GET("/api/projects/{project_id}", { params: { path: { project_id: projectId } } })),
  });
}

export function useEditorRunner(projectId: string, project: ProjectPublic | undefined) {
  const queryClient = useQueryClient();
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState(0);
  const [jumping, setJumping] = useState(false);

  const run = useCallback(
    (send: Send): Promise<ProjectPublic> => {
      setPending((n) => n + 1);
      const next = chain.current.then(async () => {
        const current = queryClient.getQueryData<ProjectPublic>(keys.project(projectId));
        try {
          const updated = await send({ projectId, ifMatch: current?.revision ?? 0 });
          queryClient.setQueryData(keys.project(projectId), updated);
          void queryClient.invalidateQueries({ queryKey: keys.history(projectId) });
          return updated;
        } catch (error) {
          if (error instanceof ApiError && error.isConflict) {
            await queryClient.invalidateQueries({ queryKey: keys.project(projectId) });
            setNotice("This project was changed elsewhere, so the latest version was loaded. Your last change was not saved; please make it again.");
          }
          throw error;
        } finally {
          setPending((n) => n - 1);
        }
      });
      chain.current = next.catch(() => undefined);
      return next;
    },
    [projectId, queryClient],
  );

  const value = useMemo<EditorState | null>(
    () =>
      project
        ? { project, run, notice, dismissNotice: () => setNotice(null), pending, jumping, setJumping }
        : null,
    [project, run, notice, pending, jumping],
  );
  return value;
}

export function EditorProvider({ value, children }: { value: EditorState; children: ReactNode }) {
  return <EditorContext.Provider value={value}>{children}</EditorContext.Provider>;
}

export function useEditor(): EditorState {
  const value = useContext(EditorContext);
  if (!value) throw new Error("useEditor must be used inside <EditorProvider>");
  return value;
}

/** A mutation that runs a project edit through the editor's queue (its error is its own). */
export function useProjectEdit<V>(send: (ids: { projectId: string; ifMatch: number }, vars: V) => Promise<ProjectPublic>) {
  const { run } = useEditor();
  return useMutation({ mutationFn: (vars: V) => run((ids) => send(ids, vars)) });
}
