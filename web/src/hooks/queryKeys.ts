/** Query keys of the server state, in one place so invalidation cannot drift. */
export const keys = {
  me: ["me"] as const,
  projects: ["projects"] as const,
  project: (id: string) => ["project", id] as const,
  history: (id: string) => ["project", id, "history"] as const,
  renders: (id: string) => ["project", id, "renders"] as const,
  /** The resolved timeline of one revision (a new revision is a new query). */
  timeline: (id: string, revision: number) => ["project", id, "timeline", revision] as const,
  /** The signed-in user's uploaded media (every project's). */
  assets: ["assets"] as const,
  voices: ["voices"] as const,
  musicStyles: ["music-styles"] as const,
};
