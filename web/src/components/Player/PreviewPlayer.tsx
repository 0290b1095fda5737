/**
 * The live preview: the server's HLS playlist of the current revision (hls.js, or the
 * browser's own HLS where it has one). A new revision loads a new playlist and keeps the
 * position (and playing state); untouched segments keep their URIs, so the browser's cache
 * serves them. Keys on the player: Space play/pause, ←/→ one frame, J back 1 s, K pause,
 * L play (again: faster).
 */
import { useEffect, useRef, type KeyboardEvent, type RefObject } from "react";

export const PREVIEW_FPS = 15;

export function previewUrl(projectId: string, revision: number): string {
  return `/api/projects/${encodeURIComponent(projectId)}/preview.m3u8?v=${revision}`;
}

interface Props {
  projectId: string;
  revision: number;
  videoRef: RefObject<HTMLVideoElement | null>;
  /** Reports the playhead (seconds) while playing and after seeks. */
  onTime: (seconds: number) => void;
}

export function PreviewPlayer({ projectId, revision, videoRef, onTime }: Props) {
  const position = useRef({ time: 0, playing: false });

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const { time, playing } = position.current;
    // The first load plays as soon as a segment is listed; a reload after an edit waits for the
    // whole (mostly cached) playlist, so the position it returns to is there to seek to.
    const url = previewUrl(projectId, revision) + (time > 0 ? "&wait=complete" : "");
    let destroyed = false;
    let resumed = false; // until then the video's time is not this revision's position yet
    let hls: { destroy: () => void } | null = null;
    const resume = () => {
      resumed = true;
      video.dataset.revision = String(revision);
      if (Math.abs(video.currentTime - time) > 0.01) video.currentTime = time;
      if (playing) void video.play().catch(() => undefined);
    };
    if (!window.MediaSource && video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = url;
      video.addEventListener("loadedmetadata", resume, { once: true });
    } else {
      void import("hls.js/light").then(({ default: Hls }) => {
        if (destroyed || !Hls.isSupported()) return;
        const player = new Hls({ startPosition: time, liveDurationInfinity: false, lowLatencyMode: false });
        player.on(Hls.Events.MANIFEST_PARSED, resume);
        player.loadSource(url);
        player.attachMedia(video);
        hls = player;
      });
    }
    return () => {
      destroyed = true;
      // edits in quick succession: a playlist that never loaded keeps the position it was given
      if (resumed) position.current = { time: video.currentTime, playing: !video.paused };
      hls?.destroy();
      if (!hls) video.removeAttribute("src");
    };
  }, [projectId, revision, videoRef]);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    let frame = 0;
    const tick = () => {
      onTime(video.currentTime);
      if (!video.paused) frame = requestAnimationFrame(tick);
    };
    const events = ["timeupdate", "seeked", "play", "pause", "loadedmetadata"] as const;
    for (const name of events) video.addEventListener(name, tick);
    return () => {
      cancelAnimationFrame(frame);
      for (const name of events) video.removeEventListener(name, tick);
    };
  }, [videoRef, onTime]);

  return (
    <video
      ref={videoRef}
      className="preview-video"
      data-testid="preview-video"
      aria-label="Preview of the project (Space plays or pauses)"
      tabIndex={0}
      playsInline
      preload="auto"
      onClick={(event) => togglePlay(event.currentTarget)}
    />
  );
}

export function togglePlay(video: HTMLVideoElement | null) {
  if (!video) return;
  video.playbackRate = 1;
  if (video.paused) void video.play().catch(() => undefined);
  else video.pause();
}

/** Play/pause and the time, under the picture. */
export function PlayerControls({ videoRef, time, total }: { videoRef: RefObject<HTMLVideoElement | null>; time: number; total: number }) {
  const playing = Boolean(videoRef.current && !videoRef.current.paused);
  return (
    <div className="player-controls">
      <button type="button" onClick={() => togglePlay(videoRef.current)} aria-label={playing ? "Pause" : "Play"}>
        {playing ? "❚❚ Pause" : "▶ Play"}
      </button>
      <span className="muted" data-testid="player-time">
        {time.toFixed(2)} s / {total.toFixed(2)} s
      </span>
    </div>
  );
}

/** Space, ←/→, J/K/L on the player (and the timeline): returns true when the key was used. */
export function handlePlayerKey(event: KeyboardEvent, video: HTMLVideoElement | null): boolean {
  if (!video || event.altKey || event.ctrlKey || event.metaKey) return false;
  const target = event.target as HTMLElement;
  // typing stays typing, and a focused button's own Space (a click) is not doubled
  if (target.closest("input, textarea, select, [contenteditable='true']")) return false;
  if (event.key === " " && target.closest("button")) return false;
  const step = (seconds: number) => {
    video.pause();
    const end = Number.isFinite(video.duration) ? video.duration : Infinity;
    video.currentTime = Math.min(end, Math.max(0, video.currentTime + seconds));
  };
  switch (event.key) {
    case " ":
      togglePlay(video);
      break;
    case "k":
    case "K":
      video.pause();
      video.playbackRate = 1;
      break;
    case "ArrowLeft":
      step(-1 / PREVIEW_FPS);
      break;
    case "ArrowRight":
      step(1 / PREVIEW_FPS);
      break;
    case "j":
    case "J":
      step(-1);
      break;
    case "l":
    case "L":
      if (video.paused) {
        video.playbackRate = 1;
        void video.play().catch(() => undefined);
      } else {
        video.playbackRate = Math.min(4, video.playbackRate * 2);
      }
      break;
    default:
      return false;
  }
  event.preventDefault();
  return true;
}
