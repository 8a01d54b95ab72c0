/**
 * The inbox page's keyboard shortcuts (see ../state/shortcuts.ts): j/k or Alt+↓/↑ move through
 * the list, e resolves, a assigns to me, / goes to the search box, ? lists them all. Nothing
 * happens while a dialog is open, and letters are left alone in text fields.
 */
import { useEffect, useState } from "preact/hooks";
import { commandFor, neighbour } from "../state/shortcuts.js";
import { navigate } from "./router.js";
import { ShortcutsHelp } from "./ShortcutsHelp.js";
import { useStore } from "./useInbox.js";

function inField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}

export function Shortcuts() {
  const store = useStore();
  const [help, setHelp] = useState(false);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.isComposing || document.querySelector("dialog[open]")) return;
      const command = commandFor({
        key: event.key,
        altKey: event.altKey,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        inField: inField(event.target),
      });
      if (command === null) return;
      const { openId, list, conversations, me } = store.state;
      const open = openId === null ? undefined : conversations.get(openId);
      switch (command) {
        case "next":
        case "previous": {
          const id = neighbour(list.ids, openId, command === "next" ? 1 : -1);
          if (id !== null) navigate(`/admin/chats/${id}`);
          break;
        }
        case "resolve":
          if (open === undefined || open.state === "resolved") return;
          store.setState(open.id, "resolved");
          break;
        case "assign":
          if (open === undefined || open.assignee_id === me.id) return;
          // No agent_id: the server assigns the one who asks.
          store.act({ action: "assign", conversation_id: open.id });
          break;
        case "search": {
          const search = document.querySelector<HTMLInputElement>(".list-pane input[type=search]");
          if (search === null) return;
          search.focus();
          break;
        }
        case "help":
          setHelp(true);
          break;
      }
      event.preventDefault();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [store]);

  return help ? <ShortcutsHelp onClose={() => setHelp(false)} /> : null;
}
