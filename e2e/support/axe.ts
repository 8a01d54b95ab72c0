/**
 * axe-core in the page (through `@axe-core/playwright`): what it finds of moderate impact or
 * worse, one readable line per element, so a failing test says what to fix and where.
 */
import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "playwright-core";

const REPORTED = new Set(["moderate", "serious", "critical"]);

export async function accessibilityProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact != null && REPORTED.has(violation.impact))
    .flatMap((violation) =>
      violation.nodes.map((node) => {
        const why = (node.failureSummary ?? "").replace(/\s+/g, " ").trim();
        return `${violation.impact} ${violation.id} at ${node.target.join(" ")}: ${why}`;
      }),
    );
}
