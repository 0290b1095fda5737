import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { useCreateProject } from "../../hooks/useProjects";
import { FieldError } from "../ui/FieldError";

/** New project: from a pasted script (one scene per paragraph) or blank. */
export function CreateProjectForm() {
  const create = useCreateProject();
  const navigate = useNavigate();
  const [title, setTitle] = useState("");
  const [script, setScript] = useState("");

  const submit = (event: FormEvent, blank: boolean) => {
    event.preventDefault();
    create.mutate(
      { title, script: blank ? undefined : script },
      { onSuccess: (project) => navigate(`/projects/${project.id}`) },
    );
  };

  return (
    <form className="card create-project" onSubmit={(e) => submit(e, false)} aria-labelledby="new-project-title">
      <h2 id="new-project-title">New project</h2>
      <div className="field">
        <label htmlFor="new-title">Title</label>
        <input id="new-title" value={title} onChange={(e) => setTitle(e.target.value)} placeholder="Untitled" maxLength={200} />
      </div>
      <div className="field">
        <label htmlFor="new-script">Script (one scene per paragraph)</label>
        <textarea
          id="new-script"
          rows={6}
          value={script}
          onChange={(e) => setScript(e.target.value)}
          placeholder={"Meet SmartBottle. Cold for twenty-four hours.\n\nIt fits every bag."}
        />
      </div>
      <FieldError error={create.error} />
      <div className="row">
        <button type="submit" className="primary" disabled={create.isPending || !script.trim()}>
          Create from script
        </button>
        <button type="button" disabled={create.isPending} onClick={(e) => submit(e, true)}>
          Create blank project
        </button>
      </div>
    </form>
  );
}
