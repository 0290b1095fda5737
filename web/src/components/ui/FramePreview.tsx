import { useEffect, useState } from "react";

/** A still frame from the server; says when a newer one is on its way (or `src` is not known yet). */
export function FramePreview({ src, alt, className, aspect = "16:9" }: { src: string | undefined; alt: string; className?: string; aspect?: string }) {
  const [loading, setLoading] = useState(true);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    setLoading(true);
    setFailed(false);
  }, [src]);
  return (
    <figure className={`frame-preview ${className ?? ""}`} aria-busy={loading}>
      <img
        src={src}
        alt={alt}
        data-testid="frame-preview"
        style={{ aspectRatio: aspect.replace(":", " / ") }}
        onLoad={() => setLoading(false)}
        onError={() => {
          setLoading(false);
          setFailed(true);
        }}
      />
      {loading && <span className="frame-status">Rendering preview…</span>}
      {failed && <span className="frame-status is-error">The preview could not be rendered.</span>}
    </figure>
  );
}
