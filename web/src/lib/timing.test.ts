import { describe, expect, it } from "vitest";
import type { ProjectDocument } from "../api/client";
import {
  autoKey,
  formatSceneTime,
  learnLengths,
  midpoint,
  sceneTimes,
  timelineTimes,
  type Timeline,
} from "./timing";

const document = {
  version: 1,
  title: "T",
  scenes: [
    { id: "a", narration: "one two three four five", duration: null }, // 5 words: 2 s + 0.6 → 2.6
    { id: "b", narration: "fixed", duration: 3 },
    { id: "c", narration: "", duration: null }, // no words: at least 2 s
  ],
} as ProjectDocument;

const timeline: Timeline = {
  duration: 8.5,
  frames: 255,
  fps: 30,
  scenes: [
    { id: "a", start: 0, duration: 3.5, auto: true, narrationSeconds: 2.9 },
    { id: "b", start: 3.5, duration: 3, auto: false, narrationSeconds: 0.7 },
    { id: "c", start: 6.5, duration: 2, auto: true, narrationSeconds: 0 },
  ],
};

describe("timing", () => {
  it("estimates automatic durations from the word count and marks them", () => {
    expect(sceneTimes(document)).toEqual([
      { id: "a", start: 0, duration: 2.6, auto: true, estimated: true },
      { id: "b", start: 2.6, duration: 3, auto: false, estimated: false },
      { id: "c", start: 5.6, duration: 2, auto: true, estimated: true },
    ]);
  });

  it("takes the server's timeline when it is that of the document", () => {
    expect(timelineTimes(document, timeline)).toEqual([
      { id: "a", start: 0, duration: 3.5, auto: true, estimated: false },
      { id: "b", start: 3.5, duration: 3, auto: false, estimated: false },
      { id: "c", start: 6.5, duration: 2, auto: true, estimated: false },
    ]);
    const reordered = { ...timeline, scenes: [timeline.scenes[1]!, timeline.scenes[0]!, timeline.scenes[2]!] };
    expect(timelineTimes(document, reordered)).toBeNull();
    expect(timelineTimes(document, { ...timeline, scenes: timeline.scenes.slice(1) })).toBeNull();
  });

  it("reuses a real length while the narration, voice and pronunciations are the same", () => {
    const known = new Map<string, number>();
    learnLengths(known, document, timelineTimes(document, timeline)!);
    expect(known.size).toBe(2); // the two automatic scenes
    expect(sceneTimes(document, known).map((t) => [t.start, t.duration, t.estimated])).toEqual([
      [0, 3.5, false],
      [3.5, 3, false],
      [6.5, 2, false],
    ]);
    const edited = { ...document, scenes: [{ ...document.scenes![0]!, narration: "six words are in this one" }, ...document.scenes!.slice(1)] };
    expect(sceneTimes(edited, known)[0]).toMatchObject({ duration: 3, estimated: true });
    const otherVoice = { ...document, voice: { id: "piper:x", speed: 1.2 } } as ProjectDocument;
    expect(autoKey(otherVoice, document.scenes![0]!)).not.toBe(autoKey(document, document.scenes![0]!));
  });

  it("formats estimates with ≈ and rounds midpoints to the millisecond", () => {
    expect(formatSceneTime({ id: "a", start: 0, duration: 2.6, auto: true, estimated: true })).toBe("≈ 2.6 s (auto)");
    expect(formatSceneTime({ id: "a", start: 0, duration: 3.5, auto: true, estimated: false })).toBe("3.5 s (auto)");
    expect(formatSceneTime({ id: "a", start: 0, duration: 3.5, auto: true, estimated: true }, { suffix: false })).toBe("≈ 3.5 s");
    expect(formatSceneTime({ id: "b", start: 0, duration: 3, auto: false, estimated: false })).toBe("3.0 s");
    expect(midpoint({ id: "a", start: 61 / 30, duration: 31 / 30, auto: true, estimated: false })).toBe(2.55);
  });
});
