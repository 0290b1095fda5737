/**
 * Scene timing as the editor shows it. The real timing comes from the server's resolved
 * timeline (`GET /api/projects/{id}/timeline`, see `hooks/useTimeline.ts`): it synthesises the
 * narration (cached server-side), so scenes with `duration: null` get their real length.
 * Until that answer is there for the current revision (or when it fails), a fixed `duration` is
 * exact, an automatic one reuses the real length the server gave for the same narration, voice
 * and pronunciations, and otherwise is estimated the way the server's `EstimateNarrator` does
 * (150 words a minute at speed 1, plus 0.6 s of air, at least 2 s); the UI marks estimates "≈".
 */
import type { components } from "../api/schema";
import type { ProjectDocument, Scene } from "../api/client";

export type Timeline = components["schemas"]["TimelinePublic"];

export const WORDS_PER_MINUTE = 150;
export const NARRATION_PADDING = 0.6;
export const MIN_AUTO_DURATION = 2.0;

export interface SceneTime {
  id: string;
  start: number;
  duration: number;
  /** true when the duration follows the narration */
  auto: boolean;
  /** true when the duration is the words-per-minute estimate, not the server's real length */
  estimated: boolean;
}

/** Real lengths of automatic scenes already known, by `autoKey`. */
export type KnownLengths = ReadonlyMap<string, number>;

export function sceneDuration(scene: Scene, projectSpeed: number): { seconds: number; auto: boolean } {
  if (scene.duration != null) return { seconds: scene.duration, auto: false };
  const words = scene.narration.split(/\s+/).filter(Boolean).length;
  const speed = scene.voice?.speed ?? projectSpeed;
  const speech = words ? (words / WORDS_PER_MINUTE) * 60 / speed : 0;
  return { seconds: Math.max(MIN_AUTO_DURATION, speech + NARRATION_PADDING), auto: true };
}

/** What the length of an automatic scene depends on: its narration, voice and pronunciations. */
export function autoKey(document: ProjectDocument, scene: Scene): string {
  return hashOf([scene.narration.trim(), scene.voice ?? document.voice ?? null, document.pronunciations ?? null]);
}

/** The client-side timing: fixed durations, known real lengths, else the estimate. */
export function sceneTimes(document: ProjectDocument, known?: KnownLengths): SceneTime[] {
  const speed = document.voice?.speed ?? 1;
  let start = 0;
  return (document.scenes ?? []).map((scene) => {
    const { seconds: estimate, auto } = sceneDuration(scene, speed);
    const real = auto ? known?.get(autoKey(document, scene)) : undefined;
    const duration = real ?? estimate;
    const time = { id: scene.id, start, duration, auto, estimated: auto && real === undefined };
    start += duration;
    return time;
  });
}

/** The server's timeline as `SceneTime`s, or null when it is not that of `document`. */
export function timelineTimes(document: ProjectDocument, timeline: Timeline): SceneTime[] | null {
  const scenes = document.scenes ?? [];
  if (timeline.scenes.length !== scenes.length) return null;
  if (timeline.scenes.some((time, index) => time.id !== scenes[index]!.id)) return null;
  return timeline.scenes.map(({ id, start, duration, auto }) => ({ id, start, duration, auto, estimated: false }));
}

/** Remember the real lengths of the automatic scenes of `document` from its timeline. */
export function learnLengths(known: Map<string, number>, document: ProjectDocument, times: SceneTime[]): void {
  (document.scenes ?? []).forEach((scene, index) => {
    const time = times[index];
    if (time?.auto && !time.estimated && scene.duration == null) known.set(autoKey(document, scene), time.duration);
  });
}

/** The time of a scene's thumbnail: its midpoint, to the millisecond (so URLs stay stable). */
export function midpoint(time: SceneTime): number {
  return Math.round((time.start + time.duration / 2) * 1000) / 1000;
}

/** A scene's length as shown: "≈ 4.2 s (auto)" when estimated, "4.2 s (auto)", "3.0 s". */
export function formatSceneTime(time: SceneTime, { suffix = true } = {}): string {
  const seconds = `${time.estimated ? "≈ " : ""}${formatSeconds(time.duration)}`;
  return time.auto && suffix ? `${seconds} (auto)` : seconds;
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
