import { useEffect, useRef, useState, type RefObject } from "react";
import type { RenderPublic } from "../../api/client";

type Outputs = NonNullable<RenderPublic["outputs"]>;

/**
 * The render's player: the HLS ladder when the render has one (hls.js, loaded only then, so
 * every browser with Media Source Extensions switches sizes the same way; else the browser's
 * own HLS), and the MP4 otherwise or if the stream fails. Captions come from the render's WebVTT either way.
 */
export function RenderPlayer({ outputs, video }: { outputs: Outputs; video: RefObject<HTMLVideoElement | null> }) {
  const [source, setSource] = useState<"hls" | "mp4">(outputs.hls ? "hls" : "mp4");
  const fallback = useRef(false);

  useEffect(() => {
    const element = video.current;
    const master = outputs.hls;
    if (!element || !master) return;
    let destroyed = false;
    let destroy = () => {};
    void import("hls.js/light").then(({ default: Hls }) => {
      if (destroyed) return;
      if (!Hls.isSupported()) {
        // no Media Source Extensions: the browser's own HLS (Safari on iOS), else the MP4
        if (element.canPlayType("application/vnd.apple.mpegurl")) element.src = master;
        else setSource("mp4");
        return;
      }
      const hls = new Hls({
        xhrSetup: (xhr) => {
          xhr.withCredentials = true;
        },
      });
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (data.fatal && !fallback.current) {
          fallback.current = true;
          hls.destroy();
          setSource("mp4");
        }
      });
      hls.loadSource(master);
      hls.attachMedia(element);
      destroy = () => hls.destroy();
    });
    return () => {
      destroyed = true;
      destroy();
    };
  }, [outputs.hls, video]);

  return (
    <video
      ref={video}
      className="player"
      controls
      preload="metadata"
      src={source === "mp4" ? outputs.video : undefined}
      poster={outputs.poster}
      data-testid="render-video"
      data-source={source}
    >
      <track kind="captions" src={outputs.vtt} srcLang="en" label="Captions" />
    </video>
  );
}
