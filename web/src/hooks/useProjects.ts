import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type ProjectSummary } from "../api/client";
import { keys } from "./queryKeys";

export function useProjects() {
  return useQuery({ queryKey: keys.projects, queryFn: async () => unwrap(await api.GET("/api/projects")) });
}

export function useCreateProject() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { title: string; script?: string }) => {
      const title = input.title.trim() || "Untitled";
      const body = input.script?.trim()
        ? { script: input.script, title }
        : { document: { version: 1, title, scenes: [] } };
      return unwrap(await api.POST("/api/projects", { body: body as never }));
    },
    onSuccess: (project) => {
      queryClient.setQueryData(keys.project(project.id), project);
      void queryClient.invalidateQueries({ queryKey: keys.projects });
    },
  });
}

export function useRenameProject() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ project, title }: { project: ProjectSummary; title: string }) =>
      unwrap(
        await api.PATCH("/api/projects/{project_id}", {
          params: { path: { project_id: project.id }, header: { "if-match": String(project.revision) } },
          body: { title } as never,
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.projects }),
  });
}

export function useDeleteProject() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (project: ProjectSummary) => {
      const result = await api.DELETE("/api/projects/{project_id}", {
        params: { path: { project_id: project.id } },
      });
      if (!result.response.ok) unwrap(result);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.projects }),
  });
}
