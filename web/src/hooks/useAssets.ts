import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type AssetPublic } from "../api/client";
import { keys } from "./queryKeys";

/** The user's uploaded media, as the server lists it. */
export function useAssets() {
  return useQuery({ queryKey: keys.assets, queryFn: async () => unwrap(await api.GET("/api/assets")) });
}

/**
 * Delete one asset. The server refuses (409, naming the projects) while a project uses it;
 * then nothing changes and the error carries its message.
 */
export function useDeleteAsset() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (assetId: string) => {
      unwrap(await api.DELETE("/api/assets/{asset_id}", { params: { path: { asset_id: assetId } } }));
    },
    onSuccess: (_, assetId) => {
      queryClient.setQueryData<AssetPublic[]>(keys.assets, (list) => list?.filter((asset) => asset.id !== assetId));
      return queryClient.invalidateQueries({ queryKey: keys.assets });
    },
  });
}
