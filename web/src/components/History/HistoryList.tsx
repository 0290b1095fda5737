import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { keys } from "../../hooks/queryKeys";
import { useEditor } from "../../hooks/useEditor";
import { useHistoryJump } from "../../hooks/useHistoryJump";
import { FieldError } from "../ui/FieldError";

/**
 * The edits of this project, oldest first; the one the project shows now is marked. Clicking an
 * entry jumps there (undoing or redoing the edits in between).
 */
export function HistoryList() {
  const { project, pending } = useEditor();
  const history = useQuery({
    queryKey: [...keys.history(project.id), project.revision],
    queryFn: async () =>
      unwrap(await api.GET("/api/projects/{project_id}/history", { params: { path: { project_id: project.id } } })),
    placeholderData: (previous) => previous,
  });
  const { jump, progress, error } = useHistoryJump();
  // While edits are on their way the position is about to move: wait for them.
  const busy = progress !== null || pending > 0 || history.isPlaceholderData;
  const position = history.data?.position;
  const target = progress ? history.data?.entries.find((entry) => entry.position === progress.target) : undefined;

  return (
    <section className="panel" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <p className="hint" id="history-hint">Choose an entry to go back (or forward) to that point.</p>
      <p className="muted history-progress" role="status">
        {progress ? `Going to “${target?.label ?? "that point"}”… step ${progress.done + 1} of ${progress.total}` : ""}
      </p>
      <FieldError error={history.error ?? error} />
      <ol className="history-list" aria-busy={progress !== null}>
        {history.data?.entries.map((entry) => {
          const current = entry.position === position;
          const undone = position !== undefined && entry.position > position;
          return (
            <li key={entry.position} aria-current={current ? "step" : undefined} className={current ? "is-current" : undone ? "is-undone" : ""}>
              <button
                type="button"
                className="history-entry"
                disabled={busy || current}
                aria-describedby="history-hint"
                onClick={() => position !== undefined && void jump(position, entry.position)}
              >
                <span>{entry.label}</span>
                <time className="muted" dateTime={entry.createdAt}>
                  {new Date(entry.createdAt).toLocaleTimeString()}
                </time>
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
