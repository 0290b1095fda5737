import { useRef, useState } from "react";
import type { RenderPublic } from "../../api/client";
import { useEditor } from "../../hooks/useEditor";
import {
  isFinished,
  useCancelRender,
  useRenderEvents,
  useRenders,
  useRevokeShares,
  useShareRender,
  useStartRender,
} from "../../hooks/useRenders";
import { formatSeconds } from "../../lib/timing";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { FieldError } from "../ui/FieldError";
import { RenderPlayer } from "./RenderPlayer";

/** Start a preview or final render, follow it live, then play, download and share it. */
export function RenderPanel() {
  const { project } = useEditor();
  const renders = useRenders(project.id);
  const [hls, setHls] = useState(false);
  const start = useStartRender(project.id, hls ? ["hls"] : undefined);
  const latest = renders.data?.[0];
  useRenderEvents(project.id, latest);
  const running = latest !== undefined && !isFinished(latest);

  return (
    <section className="panel" aria-labelledby="render-title">
      <h2 id="render-title">Render</h2>
      <div className="row wrap">
        <button type="button" className="primary" disabled={running || start.isPending} onClick={() => start.mutate(true)}>
          Render preview
        </button>
        <button type="button" disabled={running || start.isPending} onClick={() => start.mutate(false)}>
          Render final video
        </button>
      </div>
      <label className="row">
        <input type="checkbox" checked={hls} onChange={(e) => setHls(e.target.checked)} />
        Also make an HLS stream (adaptive sizes, for sharing and the web)
      </label>
      <p className="muted">A preview is 480p at 15 fps and quick; the final render uses the output settings.</p>
      <FieldError error={start.error ?? renders.error} />
      {latest && <RenderStatus key={latest.id} render={latest} stale={latest.projectRevision !== project.revision} />}
    </section>
  );
}

function RenderStatus({ render, stale }: { render: RenderPublic; stale: boolean }) {
  const { project } = useEditor();
  const cancel = useCancelRender(project.id);
  const share = useShareRender();
  const revoke = useRevokeShares();
  const video = useRef<HTMLVideoElement>(null);
  const [copied, setCopied] = useState(false);
  const [revoked, setRevoked] = useState(false);
  const percent = Math.round(render.percent);
  const kind = render.preview ? "Preview" : "Final render";

  if (!isFinished(render)) {
    return (
      <div className="render-status" aria-live="polite">
        <h3>
          {kind}: {render.status === "queued" ? "queued" : render.phase || "running"}
        </h3>
        <progress max={100} value={percent} aria-label={`${kind} progress`} />
        <p className="render-figures">
          <span data-testid="render-percent">{percent} %</span>
          <span>
            chunks {render.chunksDone}/{render.chunksTotal}
          </span>
          <span>{render.etaSeconds != null ? `about ${formatSeconds(render.etaSeconds)} left` : "estimating time left…"}</span>
        </p>
        <button type="button" className="danger" disabled={render.cancelRequested || cancel.isPending} onClick={() => cancel.mutate(render.id)}>
          {render.cancelRequested ? "Cancelling…" : "Cancel render"}
        </button>
        <FieldError error={cancel.error} />
      </div>
    );
  }

  if (render.status !== "succeeded" || !render.outputs) {
    return (
      <div className="render-status" role="status">
        <h3>
          {kind} {render.status}
        </h3>
        {render.error && <p className="field-error">{render.error.message}</p>}
      </div>
    );
  }

  const outputs = render.outputs;
  const shareUrl = share.data ? new URL(share.data.url, window.location.origin).toString() : null;
  return (
    <div className="render-status">
      <h3>
        {kind} ready <span className="muted">({render.duration != null ? formatSeconds(render.duration) : ""}
        {render.chunksCached ? `, ${render.chunksCached} of ${render.chunksTotal} chunks reused` : ""})</span>
      </h3>
      <p className="render-figures">
        <span data-testid="render-percent">100 %</span>
        {stale && <span className="muted">The project changed since this render.</span>}
      </p>
      <RenderPlayer outputs={outputs} video={video} />
      <div className="row wrap downloads">
        <a className="button" href={outputs.video} download>
          Download MP4
        </a>
        <a className="button" href={outputs.srt} download>
          Download SRT
        </a>
        <a className="button" href={outputs.vtt} download>
          Download VTT
        </a>
        {outputs.hls && (
          <a className="button" href={outputs.hls}>
            HLS playlist
          </a>
        )}
        <button
          type="button"
          onClick={() => share.mutate(render.id, { onSuccess: () => { setCopied(false); setRevoked(false); } })}
          disabled={share.isPending}
        >
          Create share link
        </button>
        {/* Not disabled while pending: the dialog hands focus back to this button on close. */}
        <ConfirmDialog
          trigger={
            <button type="button" className="danger">
              Revoke links
            </button>
          }
          title="Revoke this render’s share links?"
          description="Every share link created so far for this render stops working at once. Links you create afterwards work."
          confirmLabel="Revoke all links"
          onConfirm={() =>
            revoke.mutate(render.id, {
              onSuccess: () => {
                share.reset();
                setCopied(false);
                setRevoked(true);
              },
            })
          }
        />
      </div>
      <FieldError error={share.error ?? revoke.error} />
      <p role="status" className="success">
        {revoked ? "Share links revoked: links created before now no longer work." : ""}
      </p>
      {shareUrl && (
        <div className="field">
          <label htmlFor="share-url">Share link (valid 7 days)</label>
          <div className="row">
            <input id="share-url" readOnly value={shareUrl} onFocus={(e) => e.target.select()} />
            <button
              type="button"
              onClick={() => void navigator.clipboard?.writeText(shareUrl).then(() => setCopied(true))}
            >
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
