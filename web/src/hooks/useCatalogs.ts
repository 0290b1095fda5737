import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { keys } from "./queryKeys";

export function useVoices() {
  return useQuery({ queryKey: keys.voices, queryFn: async () => unwrap(await api.GET("/api/voices")), staleTime: Infinity });
}

export function useMusicStyles() {
  return useQuery({
    queryKey: keys.musicStyles,
    queryFn: async () => unwrap(await api.GET("/api/music-styles")),
    staleTime: Infinity,
  });
}
