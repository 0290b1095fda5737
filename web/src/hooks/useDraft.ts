import { useEffect, useRef, useState } from "react";
import { useDebouncedCallback } from "./useDebounced";

/**
 * A local copy of a server value that the user edits; saved `ms` after the last change (or on
 * `flush`). While nothing is waiting to be saved, it follows the server (undo, other edits).
 */
export function useDraft<T>(serverValue: T, save: (value: T) => void, ms: number) {
  const [draft, setDraft] = useState(serverValue);
  const dirty = useRef(false);
  const debounced = useDebouncedCallback((value: T) => {
    dirty.current = false;
    save(value);
  }, ms);

  const serverKey = JSON.stringify(serverValue);
  useEffect(() => {
    if (!dirty.current) setDraft(serverValue);
    // serverKey stands for serverValue (objects are new on every render)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [serverKey]);

  const change = (value: T) => {
    dirty.current = true;
    setDraft(value);
    debounced.call(value);
  };
  return { draft, change, flush: debounced.flush, isDirty: () => dirty.current };
}
