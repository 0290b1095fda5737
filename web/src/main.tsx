import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createHashRouter, RouterProvider } from "react-router";
import { ApiError } from "./api/client";
import { Root } from "./routes/Root";
import "./styles.css";

// Each screen is its own chunk, fetched on first visit (Root shows a loading state meanwhile):
// the sign-in form needs neither, and the editor's drag and drop, sliders and tabs are most of
// the code.
const ProjectList = lazy(() => import("./routes/ProjectList").then((m) => ({ default: m.ProjectList })));
const Editor = lazy(() => import("./routes/Editor").then((m) => ({ default: m.Editor })));

// Hash URLs (#/projects/ID): the server serves web/dist as static files, with no SPA fallback.
const router = createHashRouter([
  {
    path: "/",
    element: <Root />,
    children: [
      { index: true, element: <ProjectList /> },
      { path: "projects/:projectId", element: <Editor /> },
    ],
  },
]);

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
