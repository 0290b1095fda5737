import { useEffect, useRef, useState } from "react";

/** One audio sample at a time (voice or music previews): `toggle(url)` plays or stops it. */
export function useSamplePlayer() {
  const audio = useRef<HTMLAudioElement | null>(null);
  const [playing, setPlaying] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => () => audio.current?.pause(), []);

  const stop = () => {
    audio.current?.pause();
    setPlaying(null);
  };

  const toggle = (url: string) => {
    if (playing === url) return stop();
    audio.current?.pause();
    const element = new Audio(url);
    audio.current = element;
    element.onended = () => setPlaying(null);
    setError(null);
    setPlaying(url);
    element.play().catch(() => {
      setPlaying(null);
      setError("The sample could not be played.");
    });
  };
  return { playing, toggle, stop, error };
}
