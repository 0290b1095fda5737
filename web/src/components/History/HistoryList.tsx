import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { keys } from "../../hooks/queryKeys";
import { useEditor } from "../../hooks/useEditor";
import { FieldError } from "../ui/FieldError";

/** The edits of this project, oldest first; the one the project shows now is marked. */
export function HistoryList() {
  const { project } = useEditor();
  const history = useQuery({
    queryKey: [...keys.history(project.id), project.revision],
    queryFn: async () =>
      unwrap(await api.GET("/api/projects/{project_id}/history", { params: { path: { project_id: project.id } } })),
    placeholderData: (previous) => previous,
  });
  return (
    <section className="panel" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <FieldError error={history.error} />
      <ol className="history-list">
        {history.data?.entries.map((entry) => {
          const current = entry.position === history.data.position;
          const undone = entry.position > history.data.position;
          return (
            <li key={entry.position} aria-current={current ? "step" : undefined} className={current ? "is-current" : undone ? "is-undone" : ""}>
              <span>{entry.label}</span>
              <time className="muted" dateTime={entry.createdAt}>
                {new Date(entry.createdAt).toLocaleTimeString()}
              </time>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
