import { useRef, useState } from "react";
import type { AssetPublic } from "../../api/client";
import { useAssets, useDeleteAsset } from "../../hooks/useAssets";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { FieldError } from "../ui/FieldError";

/** The user's uploaded media (images, videos, audio), each with a delete button. */
export function MediaPanel() {
  const assets = useAssets();
  const heading = useRef<HTMLHeadingElement>(null);
  const [deleted, setDeleted] = useState<string | null>(null);

  // The deleted row (and the button that had focus) is gone: put focus on the list's heading.
  const onDeleted = (asset: AssetPublic) => {
    setDeleted(asset.filename);
    heading.current?.focus();
  };

  return (
    <section className="panel" aria-labelledby="media-title">
      <h2 id="media-title" ref={heading} tabIndex={-1}>
        Media
      </h2>
      <p className="hint">Files you uploaded, for all your projects. A file a project uses cannot be deleted.</p>
      {assets.isPending && <p>Loading media…</p>}
      <FieldError error={assets.error} />
      {assets.data?.length === 0 && <p className="muted">No uploads yet.</p>}
      <ul className="plain">
        {assets.data?.map((asset) => (
          <MediaItem key={asset.id} asset={asset} onDeleted={onDeleted} />
        ))}
      </ul>
      <p role="status" className="success">
        {deleted ? `Deleted ${deleted}.` : ""}
      </p>
    </section>
  );
}

function MediaItem({ asset, onDeleted }: { asset: AssetPublic; onDeleted: (asset: AssetPublic) => void }) {
  const remove = useDeleteAsset();
  const errorId = `media-error-${asset.id}`;
  return (
    <li className="media-item" data-testid="media-item">
      <div className="row">
        <span className="grow media-name">
          {asset.filename} <span className="muted">{asset.kind} · {formatBytes(asset.size)}</span>
        </span>
        {/* Not disabled while pending: the dialog hands focus back to this button on close. */}
        <ConfirmDialog
          trigger={
            <button
              type="button"
              className="danger"
              aria-label={`Delete ${asset.filename}`}
              aria-describedby={remove.error ? errorId : undefined}
            >
              Delete
            </button>
          }
          title={`Delete “${asset.filename}”?`}
          description="The file is removed from your media for good. While a project uses it, nothing is deleted and you are told which project."
          confirmLabel="Delete file"
          onConfirm={() => void remove.mutateAsync(asset.id).then(() => onDeleted(asset), () => undefined)}
        />
      </div>
      {remove.error && (
        // The server's message names the projects that use the file (409 asset_in_use).
        <p className="field-error" role="alert" id={errorId}>
          {remove.error.message}
        </p>
      )}
    </li>
  );
}

function formatBytes(size: number): string {
  if (size < 1000) return `${size} B`;
  if (size < 1_000_000) return `${(size / 1000).toFixed(0)} kB`;
  return `${(size / 1_000_000).toFixed(1)} MB`;
}
