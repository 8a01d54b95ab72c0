/** The `?` dialog: every keyboard shortcut of the inbox, on the native <dialog> (Esc closes it). */
import { useT } from "../i18n/index.js";
import { useEffect, useRef } from "preact/hooks";
import { SHORTCUT_KEYS } from "../state/shortcuts.js";

export function ShortcutsHelp(props: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const t = useT();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      class="dialog shortcuts-dialog"
      aria-labelledby="shortcuts-title"
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <h2 id="shortcuts-title">{t.keyboardShortcuts}</h2>
      <table class="shortcuts-table">
        <thead>
          <tr>
            <th scope="col">{t.shortcutKey}</th>
            <th scope="col">{t.shortcutDoes}</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUT_KEYS.map(({ keys, does }) => (
            <tr key={does}>
              <td>
                {keys.map((key, index) => (
                  <span key={key}>
                    {index > 0 && t.or}
                    <kbd>{key}</kbd>
                  </span>
                ))}
              </td>
              <td>{t[does]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="actions">
        <button type="button" class="primary" onClick={props.onClose}>
          {t.close}
        </button>
      </div>
    </dialog>
  );
}
