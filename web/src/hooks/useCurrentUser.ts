import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { api, ApiError, unwrap, type UserPublic } from "../api/client";
import { keys } from "./queryKeys";

/** Drop every cached answer but the user's own (kept: its observers stay attached). */
function forgetOtherUser(queryClient: QueryClient) {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== keys.me[0] });
}

/** The signed-in user, or `null` when not signed in. */
export function useCurrentUser() {
  return useQuery({
    queryKey: keys.me,
    queryFn: async (): Promise<UserPublic | null> => {
      try {
        return unwrap(await api.GET("/api/auth/me"));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

export function useLogIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { username: string; password: string }) =>
      unwrap(await api.POST("/api/auth/login", { body })),
    onSuccess: (user) => {
      forgetOtherUser(queryClient);
      queryClient.setQueryData(keys.me, user);
    },
  });
}

export function useLogOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const result = await api.POST("/api/auth/logout");
      if (!result.response.ok && result.response.status !== 401) unwrap(result);
    },
    onSettled: () => {
      forgetOtherUser(queryClient);
      queryClient.setQueryData(keys.me, null);
    },
  });
}

/** Set or change the signed-in user's password (the server checks its length). */
export function useSetPassword() {
  return useMutation({
    mutationFn: async (password: string) => {
      unwrap(await api.PUT("/api/auth/password", { body: { password } }));
    },
  });
}
