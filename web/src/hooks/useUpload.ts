import { useMutation, useQueryClient } from "@tanstack/react-query";
import { uploadAsset } from "../api/client";
import { keys } from "./queryKeys";

/** Upload one file to the media store (the answer's `ref` goes into the document). */
export function useUpload() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => uploadAsset(file),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.assets }),
  });
}
