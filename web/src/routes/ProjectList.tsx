import { CreateProjectForm } from "../components/Projects/CreateProjectForm";
import { ProjectRow } from "../components/Projects/ProjectRow";
import { FieldError } from "../components/ui/FieldError";
import { useProjects } from "../hooks/useProjects";

export function ProjectList() {
  const projects = useProjects();
  return (
    <main className="project-list">
      <h1>Projects</h1>
      <div className="project-columns">
        <section aria-labelledby="your-projects" className="card">
          <h2 id="your-projects">Your projects</h2>
          {projects.isPending && <p>Loading…</p>}
          <FieldError error={projects.error} />
          {projects.data && projects.data.length === 0 && <p className="muted">No projects yet.</p>}
          <ul className="plain">
            {projects.data?.map((project) => <ProjectRow key={project.id} project={project} />)}
          </ul>
        </section>
        <CreateProjectForm />
      </div>
    </main>
  );
}
