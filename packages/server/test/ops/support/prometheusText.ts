/**
 * A strict reader of Prometheus's text exposition format (version 0.0.4), for the metrics test:
 * every line must be a `# HELP`, a `# TYPE` or a sample of a family declared before it, with
 * well-formed names, labels (escapes included) and values. The npm parser tried first mixed up
 * histogram series whose labels put `le` first, as prom-client writes them.
 */
export interface Sample {
  /** The series name as written (`x_bucket`, `x_count`, ...). */
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: "counter" | "gauge" | "histogram" | "summary" | "untyped";
  help: string;
  samples: Sample[];
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const LABEL = `([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"`;
/** LABEL without its groups, so the sample's own groups keep their numbers. */
const LABEL_SHAPE = LABEL.replace(/\((?!\?)/g, "(?:");
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL_SHAPE},?)*)\\})? (\\S+)(?: (-?\\d+))?$`);
/** Go's ParseFloat, as Prometheus reads values: Inf and NaN in any case (prom-client writes `Nan`). */
const VALUE = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?inf(?:inity)?|nan)$/i;
const SUFFIXES: Record<Family["type"], string[]> = {
  counter: [""],
  gauge: [""],
  untyped: [""],
  histogram: ["_bucket", "_sum", "_count"],
  summary: ["", "_sum", "_count"],
};

export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const help = new Map<string, string>();
  text.split("\n").forEach((line, index) => {
    const fail = (why: string): never => {
      throw new Error(`line ${index + 1}: ${why}: ${JSON.stringify(line)}`);
    };
    if (line === "") return;
    const meta = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`).exec(line);
    if (meta !== null) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      if (kind === "HELP") help.set(name, rest);
      else {
        if (!(rest in SUFFIXES)) fail("unknown type");
        if (families.has(name)) fail("family declared twice");
        families.set(name, { name, type: rest as Family["type"], help: help.get(name) ?? "", samples: [] });
      }
      return;
    }
    if (line.startsWith("#")) return;
    const match = SAMPLE.exec(line) ?? fail("not a sample line");
    const [, name, labelText, value] = match as unknown as [string, string, string | undefined, string];
    if (!VALUE.test(value)) fail("not a number");
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (labelText ?? "").matchAll(new RegExp(LABEL, "g"))) {
      if (key! in labels) fail(`label ${key} twice`);
      labels[key!] = raw!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    }
    const family = [...families.values()].find((each) =>
      SUFFIXES[each.type].some((suffix) => each.name + suffix === name),
    );
    if (family === undefined) fail("sample of an undeclared family");
    if (family!.type === "histogram" && name.endsWith("_bucket") && labels.le === undefined)
      fail("bucket without le");
    family!.samples.push({
      name,
      labels,
      value: /nan/i.test(value) ? NaN : Number(value.replace(/inf(inity)?/i, "Infinity")),
    });
  });
  return families;
}
