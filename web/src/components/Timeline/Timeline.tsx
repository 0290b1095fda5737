/**
 * The project's timeline under the player: one block per scene (width by duration, its still
 * as thumbnail), transition markers on the cuts, a tick where each narration starts and a bar
 * as long as it is spoken, and the playhead. Clicking a block selects its scene and seeks to
 * its start; the scrub bar seeks on click or drag, and with the keys of a slider.
 */
import { useRef, type KeyboardEvent, type PointerEvent } from "react";
import type { Scene } from "../../api/client";
import type { SceneTime } from "../../lib/timing";

export interface TimelineScene {
  scene: Scene;
  time: SceneTime;
  thumbnailUrl?: string;
  /** seconds of narration (0 when none or not known yet) */
  narrationSeconds: number;
}

interface Props {
  scenes: TimelineScene[];
  total: number;
  playhead: number;
  selectedId: string | null;
  onSelect: (sceneId: string) => void;
  onSeek: (seconds: number) => void;
  onKeyDown?: (event: KeyboardEvent) => void;
}

const percent = (seconds: number, total: number) => `${total > 0 ? (100 * seconds) / total : 0}%`;

export function Timeline({ scenes, total, playhead, selectedId, onSelect, onSeek, onKeyDown }: Props) {
  const bar = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);
  const timeAt = (event: PointerEvent) => {
    const box = bar.current!.getBoundingClientRect();
    return Math.min(total, Math.max(0, ((event.clientX - box.left) / box.width) * total));
  };
  const scrubKeys = (event: KeyboardEvent) => {
    const jump = { Home: -Infinity, End: Infinity, PageUp: 5, PageDown: -5 }[event.key];
    if (jump !== undefined) {
      event.preventDefault();
      onSeek(Math.min(total, Math.max(0, playhead + jump)));
    } else {
      onKeyDown?.(event);
    }
  };
  return (
    <div className="timeline" role="group" aria-label="Timeline">
      <span className="timeline-playhead-line" aria-hidden="true" style={{ left: percent(playhead, total) }} />
      <ol className="timeline-scenes" aria-label="Scenes on the timeline">
        {scenes.map(({ scene, time, thumbnailUrl, narrationSeconds }, index) => {
          const transition = scene.transition?.type && scene.transition.type !== "cut" ? scene.transition : null;
          return (
            <li
              key={scene.id}
              className="timeline-block"
              style={{ left: percent(time.start, total), width: percent(time.duration, total) }}
            >
              <button
                type="button"
                aria-pressed={scene.id === selectedId}
                aria-label={`Scene ${index + 1}, ${time.start.toFixed(1)} s to ${(time.start + time.duration).toFixed(1)} s`}
                onClick={() => {
                  onSelect(scene.id);
                  onSeek(time.start);
                }}
                onKeyDown={onKeyDown}
                style={thumbnailUrl ? { backgroundImage: `url("${thumbnailUrl}")` } : undefined}
              >
                <span className="timeline-label">{index + 1}</span>
              </button>
              {narrationSeconds > 0 && (
                <span
                  className="timeline-narration"
                  data-testid="narration-tick"
                  title={`Narration, ${narrationSeconds.toFixed(1)} s`}
                  style={{ width: percent(Math.min(narrationSeconds, time.duration), time.duration) }}
                />
              )}
              {transition && index + 1 < scenes.length && (
                <span
                  className="timeline-transition"
                  data-testid="transition-marker"
                  title={`${transition.type}, ${(transition.duration ?? 0.5).toFixed(1)} s`}
                />
              )}
            </li>
          );
        })}
      </ol>
      <div
        ref={bar}
        className="timeline-scrub"
        data-testid="timeline-scrub"
        role="slider"
        tabIndex={0}
        aria-label="Playhead"
        aria-valuemin={0}
        aria-valuemax={Number(total.toFixed(2))}
        aria-valuenow={Number(playhead.toFixed(2))}
        aria-valuetext={`${playhead.toFixed(2)} s of ${total.toFixed(2)} s`}
        onKeyDown={scrubKeys}
        onPointerDown={(event) => {
          dragging.current = true;
          event.currentTarget.setPointerCapture?.(event.pointerId);
          onSeek(timeAt(event));
        }}
        onPointerMove={(event) => dragging.current && onSeek(timeAt(event))}
        onPointerUp={() => (dragging.current = false)}
        onPointerCancel={() => (dragging.current = false)}
      >
        <span className="timeline-playhead" data-testid="playhead" style={{ left: percent(playhead, total) }} />
      </div>
    </div>
  );
}
