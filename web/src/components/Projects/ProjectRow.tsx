import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import type { ProjectSummary } from "../../api/client";
import { useDeleteProject, useRenameProject } from "../../hooks/useProjects";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { FieldError } from "../ui/FieldError";

export function ProjectRow({ project }: { project: ProjectSummary }) {
  const rename = useRenameProject();
  const remove = useDeleteProject();
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(project.title);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    rename.mutate({ project, title }, { onSuccess: () => setEditing(false) });
  };

  return (
    <li className="project-row">
      {editing ? (
        <form onSubmit={submit} className="row">
          <label className="visually-hidden" htmlFor={`rename-${project.id}`}>
            New title for {project.title}
          </label>
          <input id={`rename-${project.id}`} value={title} onChange={(e) => setTitle(e.target.value)} autoFocus maxLength={200} />
          <button type="submit" className="primary">Save</button>
          <button type="button" onClick={() => setEditing(false)}>Cancel</button>
        </form>
      ) : (
        <>
          <Link to={`/projects/${project.id}`} className="project-link">
            {project.title}
          </Link>
          <span className="muted">edited {new Date(project.updatedAt).toLocaleString()}</span>
          <span className="spacer" />
          <button type="button" onClick={() => { setTitle(project.title); setEditing(true); }} aria-label={`Rename ${project.title}`}>
            Rename
          </button>
          <ConfirmDialog
            trigger={
              <button type="button" className="danger" aria-label={`Delete ${project.title}`}>
                Delete
              </button>
            }
            title={`Delete “${project.title}”?`}
            description="The project, its history and its renders go away for good."
            confirmLabel="Delete project"
            onConfirm={() => remove.mutate(project)}
          />
        </>
      )}
      <FieldError error={rename.error ?? remove.error} />
    </li>
  );
}
