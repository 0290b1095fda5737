import { useCallback, useEffect, useRef } from "react";

/** `fn` delayed until `ms` have passed without another call; `flush` runs a pending call now. */
export function useDebouncedCallback<A extends unknown[]>(fn: (...args: A) => void, ms: number) {
  const latest = useRef(fn);
  latest.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const args = useRef<A | null>(null);

  const flush = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (args.current) {
      const pending = args.current;
      args.current = null;
      latest.current(...pending);
    }
  }, []);

  const call = useCallback(
    (...next: A) => {
      args.current = next;
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(flush, ms);
    },
    [flush, ms],
  );

  useEffect(() => flush, [flush]);
  return { call, flush };
}
