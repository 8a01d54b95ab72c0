/**
 * The embed snippet and handles on the widget inside a page. Playwright's CSS locators pierce
 * open shadow roots, so these reach into `<parley-widget>` the way a visitor's eyes do.
 */
import type { Locator, Page } from "playwright-core";

export interface EmbedOptions {
  /** Extra attributes on the script tag, e.g. `data-position="left"`. */
  attributes?: string;
  head?: string;
  body?: string;
}

export function embedPage(serverUrl: string, options: EmbedOptions = {}): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>A shop</title>${options.head ?? ""}</head>
<body>${options.body ?? "<h1>A shop</h1><p>Products.</p>"}
<script src="${serverUrl}/widget.js" async ${options.attributes ?? ""}></script>
</body></html>`;
}

export interface WidgetHandle {
  host: Locator;
  launcher: Locator;
  panel: Locator;
  input: Locator;
  badge: Locator;
  /** The conversation's bubbles (visitor and agent), not the greeting. */
  bubbles: Locator;
  texts(): Promise<string[]>;
  send(text: string): Promise<void>;
}

export function widgetIn(page: Page): WidgetHandle {
  const host = page.locator("parley-widget");
  const input = host.locator("textarea");
  const bubbles = host.locator("li.v .b, li.a .b");
  return {
    host,
    launcher: host.locator("button.l"),
    panel: host.locator("[role=dialog]"),
    input,
    badge: host.locator(".n"),
    bubbles,
    texts: () => bubbles.allTextContents(),
    async send(text) {
      await input.fill(text);
      await input.press("Enter");
    },
  };
}
