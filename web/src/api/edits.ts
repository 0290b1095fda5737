/**
 * The project edits, one function per API operation. Each takes the revision the client has
 * (sent as `If-Match`) and returns the project as the server now has it.
 */
import {
  api,
  unwrap,
  type Music,
  type Patch,
  type ProductOverlay,
  type ProjectDocument,
  type ProjectPublic,
  type Scene,
} from "./client";

type Ids = { projectId: string; ifMatch: number };

const header = (ifMatch: number) => ({ "if-match": String(ifMatch) });

export const edits = {
  patchProject: async ({ projectId, ifMatch }: Ids, patch: Patch<ProjectDocument>) =>
    unwrap(
      await api.PATCH("/api/projects/{project_id}", {
        params: { path: { project_id: projectId }, header: header(ifMatch) },
        body: patch as never,
      }),
    ),

  addScene: async ({ projectId, ifMatch }: Ids, scene: Partial<Scene>, index?: number) =>
    unwrap(
      await api.POST("/api/projects/{project_id}/scenes", {
        params: { path: { project_id: projectId }, header: header(ifMatch) },
        body: { ...scene, ...(index === undefined ? {} : { index }) } as never,
      }),
    ),

  patchScene: async ({ projectId, ifMatch }: Ids, sceneId: string, patch: Patch<Scene>) =>
    unwrap(
      await api.PATCH("/api/projects/{project_id}/scenes/{scene_id}", {
        params: { path: { project_id: projectId, scene_id: sceneId }, header: header(ifMatch) },
        body: patch as never,
      }),
    ),

  deleteScene: async ({ projectId, ifMatch }: Ids, sceneId: string) =>
    unwrap(
      await api.DELETE("/api/projects/{project_id}/scenes/{scene_id}", {
        params: { path: { project_id: projectId, scene_id: sceneId }, header: header(ifMatch) },
      }),
    ),

  putSceneOrder: async ({ projectId, ifMatch }: Ids, sceneIds: string[]) =>
    unwrap(
      await api.PUT("/api/projects/{project_id}/scene-order", {
        params: { path: { project_id: projectId }, header: header(ifMatch) },
        body: { sceneIds },
      }),
    ),

  patchProductOverlay: async (
    { projectId, ifMatch }: Ids,
    sceneId: string,
    patch: Patch<ProductOverlay>,
  ) =>
    unwrap(
      await api.PATCH("/api/projects/{project_id}/scenes/{scene_id}/product-overlay", {
        params: { path: { project_id: projectId, scene_id: sceneId }, header: header(ifMatch) },
        body: patch as never,
      }),
    ),

  regenerateVoiceover: async (
    { projectId, ifMatch }: Ids,
    body: { voiceId?: string; sceneIds?: string[] },
  ) =>
    unwrap(
      await api.POST("/api/projects/{project_id}/voiceover", {
        params: { path: { project_id: projectId }, header: header(ifMatch) },
        body,
      }),
    ),

  patchMusic: async ({ projectId, ifMatch }: Ids, patch: Patch<Music>) =>
    unwrap(
      await api.PATCH("/api/projects/{project_id}/music", {
        params: { path: { project_id: projectId }, header: header(ifMatch) },
        body: patch as never,
      }),
    ),

  regenerateMusic: async ({ projectId, ifMatch }: Ids) =>
    unwrap(
      await api.POST("/api/projects/{project_id}/music/regenerate", {
        params: { path: { project_id: projectId }, header: header(ifMatch) },
      }),
    ),

  undo: async ({ projectId, ifMatch }: Ids) =>
    unwrap(
      await api.POST("/api/projects/{project_id}/undo", {
        params: { path: { project_id: projectId }, header: header(ifMatch) },
      }),
    ),

  redo: async ({ projectId, ifMatch }: Ids) =>
    unwrap(
      await api.POST("/api/projects/{project_id}/redo", {
        params: { path: { project_id: projectId }, header: header(ifMatch) },
      }),
    ),
} satisfies Record<string, (ids: Ids, ...rest: never[]) => Promise<ProjectPublic>>;

export type Edits = typeof edits;
