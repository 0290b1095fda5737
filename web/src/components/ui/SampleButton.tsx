/** Plays or stops one sample clip (a voice or a music style) through a shared sample player. */
export function SampleButton({
  url,
  name,
  player,
}: {
  url: string;
  name: string;
  player: { playing: string | null; toggle: (url: string) => void };
}) {
  const playing = player.playing === url;
  return (
    <button
      type="button"
      aria-pressed={playing}
      aria-label={`Play a sample of ${name}`}
      onClick={() => player.toggle(url)}
    >
      {playing ? "■ Stop" : "▶ Sample"}
    </button>
  );
}
