import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createHashRouter, RouterProvider } from "react-router";
import { ApiError } from "./api/client";
import { Editor } from "./routes/Editor";
import { ProjectList } from "./routes/ProjectList";
import { Root } from "./routes/Root";
import "./styles.css";

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
