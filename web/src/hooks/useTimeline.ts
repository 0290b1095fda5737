/**
 * The project's timeline as the server resolves it (real narration, so automatic scenes have
 * their real length), one query per revision so every edit refetches it; and `useSceneTimes`,
 * what the editor shows: the server's timing when it has answered for the current revision,
 * else the client-side fallback of `lib/timing.ts` (estimates marked `estimated`).
 */
import { useQuery } from "@tanstack/react-query";
import { useMemo, useRef } from "react";
import { api, unwrap, type ProjectPublic } from "../api/client";
import { learnLengths, sceneTimes, timelineTimes, type SceneTime } from "../lib/timing";
import { keys } from "./queryKeys";

export function useTimeline(projectId: string, revision: number) {
  return useQuery({
    queryKey: keys.timeline(projectId, revision),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/projects/{project_id}/timeline", { params: { path: { project_id: projectId } } }),
      ),
    // A revision's timeline does not change; a new revision is a new key.
    staleTime: Infinity,
  });
}

export interface SceneTimes {
  times: SceneTime[];
  /** seconds of the whole video */
  total: number;
  /** some duration is an estimate (the timeline is loading or failed) */
  estimated: boolean;
  /** "ready": the server's timeline of this revision; "loading"/"failed": the fallback */
  status: "ready" | "loading" | "failed";
}

export function useSceneTimes(project: ProjectPublic): SceneTimes {
  const timeline = useTimeline(project.id, project.revision);
  // Real lengths of automatic scenes seen so far, so a scene whose narration did not change
  // keeps its real length (not the estimate) while the next revision's timeline loads.
  const known = useRef(new Map<string, number>());
  const document = project.document;
  const loading = timeline.isPending || timeline.isFetching;
  return useMemo(() => {
    const real = timeline.data ? timelineTimes(document, timeline.data) : null;
    if (real && timeline.data) {
      learnLengths(known.current, document, real);
      return { times: real, total: timeline.data.duration, estimated: false, status: "ready" as const };
    }
    const times = sceneTimes(document, known.current);
    const last = times[times.length - 1];
    return {
      times,
      total: last ? last.start + last.duration : 0,
      estimated: times.some((time) => time.estimated),
      status: loading ? ("loading" as const) : ("failed" as const),
    };
  }, [document, timeline.data, loading]);
}
