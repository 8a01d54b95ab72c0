/**
 * Web push on this device as a switch: where it stands (null while the page finds out), where it
 * is going while a change is under way, and the last error. Shared by *Account* and the banner,
 * so both turn it on the same way: the browser asks for permission only then.
 */
import { useEffect, useState } from "preact/hooks";
import { messageOf } from "../api/http.js";
import { disablePush, enablePush, pushState, type PushState } from "../attention/push.js";

/** While a switch is under way, where it is going (so the control shows that meanwhile). */
export type PushTarget = boolean | null;

export interface PushSwitch {
  state: PushState | null;
  target: PushTarget;
  error: string | null;
  turn: (on: boolean) => Promise<void>;
}

export function usePushSwitch(): PushSwitch {
  const [state, setState] = useState<PushState | null>(null);
  const [target, setTarget] = useState<PushTarget>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void pushState().then((found) => live && setState(found));
    return () => {
      live = false;
    };
  }, []);

  const turn = async (on: boolean): Promise<void> => {
    if (state?.kind !== "ready") return;
    setTarget(on);
    setError(null);
    try {
      if (on) setState(await enablePush(state.publicKey));
      else {
        await disablePush();
        setState({ ...state, subscribed: false });
      }
    } catch (caught) {
      setError(messageOf(caught));
      // Whatever got half done, show where things really stand.
      setState(await pushState());
    } finally {
      setTarget(null);
    }
  };

  return { state, target, error, turn };
}
