import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { api, unwrap, urls, type RenderPublic } from "../api/client";

type RenderFormat = NonNullable<RenderPublic["formats"]>[number];
import { keys } from "./queryKeys";

const FINISHED = new Set(["succeeded", "failed", "cancelled"]);
export const isFinished = (render: RenderPublic) => FINISHED.has(render.status);

/** The project's renders, newest first. */
export function useRenders(projectId: string) {
  return useQuery({
    queryKey: keys.renders(projectId),
    queryFn: async () =>
      unwrap(await api.GET("/api/projects/{project_id}/renders", { params: { path: { project_id: projectId } } })),
  });
}

function upsert(list: RenderPublic[] | undefined, render: RenderPublic): RenderPublic[] {
  const others = (list ?? []).filter((r) => r.id !== render.id);
  return [render, ...others].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Start a render; `formats` adds outputs besides the MP4 (e.g. `["hls"]`). */
export function useStartRender(projectId: string, formats?: RenderFormat[]) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (preview: boolean) =>
      unwrap(
        await api.POST("/api/projects/{project_id}/renders", {
          params: { path: { project_id: projectId } },
          body: formats ? { preview, formats } : { preview },
        }),
      ),
    onSuccess: (render) => queryClient.setQueryData<RenderPublic[]>(keys.renders(projectId), (list) => upsert(list, render)),
  });
}

export function useCancelRender(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (renderId: string) =>
      unwrap(await api.DELETE("/api/renders/{render_id}", { params: { path: { render_id: renderId } } })),
    onSuccess: (render) => queryClient.setQueryData<RenderPublic[]>(keys.renders(projectId), (list) => upsert(list, render)),
  });
}

/** Follows a running render through its server-sent events, keeping the cache current. */
export function useRenderEvents(projectId: string, render: RenderPublic | undefined) {
  const queryClient = useQueryClient();
  const id = render && !isFinished(render) ? render.id : null;
  useEffect(() => {
    if (!id) return;
    const source = new EventSource(urls.renderEvents(id));
    const update = (event: MessageEvent<string>) => {
      const next = JSON.parse(event.data) as RenderPublic;
      queryClient.setQueryData<RenderPublic[]>(keys.renders(projectId), (list) => upsert(list, next));
    };
    source.addEventListener("progress", update);
    source.addEventListener("done", (event) => {
      update(event);
      source.close();
    });
    // The browser reconnects on its own after a dropped connection; a closed one is final.
    return () => source.close();
  }, [id, projectId, queryClient]);
}

export function useShareRender() {
  return useMutation({
    mutationFn: async (renderId: string) =>
      unwrap(
        await api.POST("/api/renders/{render_id}/share", {
          params: { path: { render_id: renderId } },
          body: { file: "video", expiresIn: 7 * 86400 },
        }),
      ),
  });
}

/** Revoke every share link issued so far for a render (links created afterwards work). */
export function useRevokeShares() {
  return useMutation({
    mutationFn: async (renderId: string) => {
      unwrap(await api.DELETE("/api/renders/{render_id}/share", { params: { path: { render_id: renderId } } }));
    },
  });
}
