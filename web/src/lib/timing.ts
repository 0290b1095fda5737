/**
 * Scene timing as the editor shows it. A fixed `duration` is exact; an automatic one (`null`)
 * is estimated the way the server's `EstimateNarrator` does (150 words a minute at speed 1,
 * plus 0.6 s of air, at least 2 s), because the API does not yet expose the resolved timeline.
 */
import type { ProjectDocument, Scene } from "../api/client";

export const WORDS_PER_MINUTE = 150;
export const NARRATION_PADDING = 0.6;
export const MIN_AUTO_DURATION = 2.0;

export interface SceneTime {
  id: string;
  start: number;
  duration: number;
  /** true when the duration follows the narration (and is an estimate here) */
  auto: boolean;
}

export function sceneDuration(scene: Scene, projectSpeed: number): { seconds: number; auto: boolean } {
  if (scene.duration != null) return { seconds: scene.duration, auto: false };
  const words = scene.narration.split(/\s+/).filter(Boolean).length;
  const speed = scene.voice?.speed ?? projectSpeed;
  const speech = words ? (words / WORDS_PER_MINUTE) * 60 / speed : 0;
  return { seconds: Math.max(MIN_AUTO_DURATION, speech + NARRATION_PADDING), auto: true };
}

export function sceneTimes(document: ProjectDocument): SceneTime[] {
  const speed = document.voice?.speed ?? 1;
  let start = 0;
  return (document.scenes ?? []).map((scene) => {
    const { seconds, auto } = sceneDuration(scene, speed);
    const time = { id: scene.id, start, duration: seconds, auto };
    start += seconds;
    return time;
  });
}

export function totalDuration(document: ProjectDocument): number {
  return sceneTimes(document).reduce((sum, time) => sum + time.duration, 0);
}

/** "4.2 s", "1:05" */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

/** A short stable hash (FNV-1a) of a JSON-able value. */
export function hashOf(value: unknown): string {
  const text = JSON.stringify(value);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

/**
 * What a still of `scene` at `t` depends on: the scene, its neighbours (transitions), the
 * time and the project-wide look. Thumbnails keep their URL (and are not re-rendered) while
 * this stays the same, even though other scenes change.
 */
export function frameVersion(document: ProjectDocument, index: number, t: number): string {
  const scenes = document.scenes ?? [];
  return hashOf([
    scenes[index - 1]?.transition,
    scenes[index],
    scenes[index + 1]?.visual,
    t,
    document.output,
    document.brand,
    document.product,
    document.captions,
    document.voice,
  ]);
}
