/**
 * Files dragged over an element are attached when dropped there. `dropping` is true while files
 * hover, for a visible target; nested elements fire enter/leave pairs, hence the counter.
 */
import type { JSX } from "preact";
import { useRef, useState } from "preact/hooks";

type DragHandler = (event: JSX.TargetedDragEvent<HTMLElement>) => void;

export function useFileDrop(attach: (files: File[]) => void): {
  dropping: boolean;
  handlers: {
    onDragEnter: DragHandler;
    onDragOver: DragHandler;
    onDragLeave: DragHandler;
    onDrop: DragHandler;
  };
} {
  const [dropping, setDropping] = useState(false);
  const depth = useRef(0);
  const carriesFiles = (event: JSX.TargetedDragEvent<HTMLElement>): boolean =>
    event.dataTransfer?.types.includes("Files") ?? false;
  return {
    dropping,
    handlers: {
      onDragEnter: (event) => {
        if (!carriesFiles(event)) return;
        depth.current++;
        setDropping(true);
      },
      onDragOver: (event) => {
        // Without this the browser would open the file in place of the inbox.
        if (carriesFiles(event)) event.preventDefault();
      },
      onDragLeave: (event) => {
        if (!carriesFiles(event)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDropping(false);
      },
      onDrop: (event) => {
        depth.current = 0;
        setDropping(false);
        const files = [...(event.dataTransfer?.files ?? [])];
        if (files.length === 0) return;
        event.preventDefault();
        attach(files);
      },
    },
  };
}
