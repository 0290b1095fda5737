import { edits } from "../../api/edits";
import { urls } from "../../api/client";
import { useEditor, useProjectEdit } from "../../hooks/useEditor";
import { useUpload } from "../../hooks/useUpload";
import { FieldError } from "../ui/FieldError";
import { FileButton } from "../ui/FileButton";

/** The project's product image (shared by every scene's overlay). */
export function ProductImagePicker() {
  const { project } = useEditor();
  const image = project.document.product?.image ?? null;
  const upload = useUpload();
  const save = useProjectEdit((ids, ref: string) => edits.patchProject(ids, { product: { image: ref } }));
  return (
    <div className="product-image field">
      <span>Product image</span>
      <div className="row">
        {image?.startsWith("asset:") && <img src={urls.assetPicture(image)} alt="The product" className="product-thumb" />}
        {!image && <span className="muted">No product image yet: upload one to show it on scenes.</span>}
        <FileButton
          label={image ? "Replace product image" : "Upload product image"}
          accept="image/*,.heic,.heif,.avif"
          busy={upload.isPending || save.isPending}
          onFile={(file) => upload.mutate(file, { onSuccess: (asset) => save.mutate(asset.ref) })}
        />
      </div>
      <FieldError error={upload.error ?? save.error} />
    </div>
  );
}
