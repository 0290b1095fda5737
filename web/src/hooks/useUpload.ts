import { useMutation } from "@tanstack/react-query";
import { uploadAsset } from "../api/client";

/** Upload one file to the media store (the answer's `ref` goes into the document). */
export function useUpload() {
  return useMutation({ mutationFn: (file: File) => uploadAsset(file) });
}
