// Reads what the container test and the consistency test need from config/deploy.yml: the
// first (uncommented) `env:` block, `proxy.app_port`, `proxy.healthcheck.path` and `volumes`.
// A deliberately small reader for the file's own layout (two-space indents, no anchors), so the
// project needs no YAML dependency; it throws when the layout is not what it expects.
import { readFileSync } from "node:fs";

function stripComment(line) {
  // A `#` starts a comment at the beginning or after whitespace, outside quotes.
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}

function scalar(raw) {
  const value = raw.trim();
  if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) {
    return value.slice(1, -1);
  }
  return value;
}

/** Lines of the top-level block `key:`, as [indent, text] without comments or blank lines. */
function block(lines, path) {
  let scope = lines;
  for (const key of path) {
    const start = scope.findIndex(([, text]) => text === `${key}:`);
    if (start === -1) return [];
    const indent = scope[start][0];
    const body = [];
    for (const entry of scope.slice(start + 1)) {
      if (entry[0] <= indent) break;
      body.push(entry);
    }
    scope = body;
  }
  return scope;
}

export function readDeployConfig(path) {
  const lines = readFileSync(path, "utf8")
    .split("\n")
    .map((line) => stripComment(line).replace(/\s+$/, ""))
    .filter((line) => line.trim() !== "")
    .map((line) => [line.length - line.trimStart().length, line.trim()]);

  const childIndent = (entries) => Math.min(...entries.map(([indent]) => indent));
  const mapOf = (entries) => {
    const out = {};
    if (entries.length === 0) return out;
    const indent = childIndent(entries);
    for (const [level, text] of entries) {
      if (level !== indent) continue;
      const match = /^([A-Za-z0-9_.-]+):\s*(.*)$/.exec(text);
      if (!match) throw new Error(`deploy.yml: cannot read "${text}"`);
      out[match[1]] = scalar(match[2]);
    }
    return out;
  };
  const listOf = (entries) =>
    entries.filter(([, text]) => text.startsWith("- ")).map(([, text]) => scalar(text.slice(2)));

  const proxy = mapOf(block(lines, ["proxy"]));
  const healthcheck = mapOf(block(lines, ["proxy", "healthcheck"]));
  return {
    service: mapOf(lines.filter(([indent]) => indent === 0)).service,
    image: mapOf(lines.filter(([indent]) => indent === 0)).image,
    proxy: { ...proxy, healthcheck },
    clear: mapOf(block(lines, ["env", "clear"])),
    secret: listOf(block(lines, ["env", "secret"])),
    volumes: listOf(block(lines, ["volumes"])),
    builder: mapOf(block(lines, ["builder"])),
  };
}
