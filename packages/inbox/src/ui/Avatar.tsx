/**
 * An agent's face: their photo, or their initials when there is none or it does not load. It is
 * decorative (alt=""): the name is always written beside it.
 */
import { useEffect, useState } from "preact/hooks";
import { initials } from "../state/avatar.js";

export function Avatar(props: {
  name: string;
  url: string | null | undefined;
  size?: number;
  class?: string;
}) {
  const size = props.size ?? 32;
  const [broken, setBroken] = useState(false);
  useEffect(() => setBroken(false), [props.url]);
  const style = { width: `${size}px`, height: `${size}px`, fontSize: `${Math.round(size * 0.4)}px` };
  const classes = `avatar${props.class ? ` ${props.class}` : ""}`;
  if (props.url && !broken)
    return (
      <img
        class={classes}
        src={props.url}
        alt=""
        width={size}
        height={size}
        style={style}
        decoding="async"
        onError={() => setBroken(true)}
      />
    );
  return (
    <span class={`${classes} initials`} style={style} aria-hidden="true">
      {initials(props.name)}
    </span>
  );
}
