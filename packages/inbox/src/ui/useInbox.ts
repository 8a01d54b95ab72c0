/**
 * Components read the store through a selector and re-render only when what they selected
 * changed (by identity: the store replaces exactly the parts that change).
 */
import { createContext } from "preact";
import { useContext, useEffect, useReducer, useRef, useState } from "preact/hooks";
import type { InboxState } from "../store/inboxState.js";
import type { InboxStore } from "../store/inboxStore.js";

export const StoreContext = createContext<InboxStore | null>(null);

export function useStore(): InboxStore {
  const store = useContext(StoreContext);
  if (store === null) throw new Error("useStore outside <StoreContext.Provider>");
  return store;
}

export function useInbox<T>(select: (state: InboxState) => T): T {
  const store = useStore();
  const selectRef = useRef(select);
  selectRef.current = select;
  const value = select(store.state);
  const valueRef = useRef(value);
  valueRef.current = value;
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  useEffect(
    () =>
      store.subscribe(() => {
        if (!Object.is(selectRef.current(store.state), valueRef.current)) rerender(undefined);
      }),
    [store],
  );
  return value;
}

/** The current time, refreshed every `intervalMs`, for relative times. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
