/**
 * Text with its http(s) URLs as links that open in a new tab, and (in notes) `@username`s of
 * agents marked. Everything is a text node or an anchor built here: content never becomes HTML.
 */
import type { Agent } from "@parley/protocol";
import { splitLinks } from "@parley/protocol";
import { splitMentions } from "../state/mentions.js";

export function LinkedText(props: { text: string; agents?: readonly Agent[]; meId?: number }) {
  return (
    <>
      {splitLinks(props.text).map((segment, index) =>
        segment.href !== undefined ? (
          <a key={index} href={segment.href} target="_blank" rel="noopener noreferrer nofollow">
            {segment.text}
          </a>
        ) : props.agents ? (
          <Mentions key={index} text={segment.text} agents={props.agents} meId={props.meId} />
        ) : (
          segment.text
        ),
      )}
    </>
  );
}

function Mentions(props: { text: string; agents: readonly Agent[]; meId: number | undefined }) {
  return (
    <>
      {splitMentions(props.text, props.agents).map((segment, index) =>
        segment.mention ? (
          <strong key={index} class={`mention${segment.mention.id === props.meId ? " me" : ""}`}>
            {segment.text}
          </strong>
        ) : (
          segment.text
        ),
      )}
    </>
  );
}
