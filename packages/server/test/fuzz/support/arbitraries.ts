/**
 * What the fuzzer throws: hostile strings and JSON of every shape, and values shaped by a JSON
 * Schema (the OpenAPI document's) so that most requests get past validation and reach the code
 * behind it, with a share bent out of shape so that validation itself is tried.
 */
import fc from "fast-check";

/** Strings that broke servers before: empty, control, lone surrogates, prototype keys, huge. */
const NASTY = [
  "",
  " ",
  "\u0000",
  "\ud800",
  "\udfff\ud800",
  "\u202e\u0041",
  "null",
  "undefined",
  "NaN",
  "-0",
  "1e309",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  '"; drop table messages; --',
  "%00",
  "%",
  "../../../../etc/passwd",
  "😀👨‍👩‍👧‍👦",
  "ﷺ",
  "\r\n\r\n",
  "{}",
  "[]",
];

export const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 2_000, max: 70_000 }), fc.constantFrom("x", "é", "😀", "\u0000", " "))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: hugeString },
);

const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: -3, max: 12 }),
  fc.integer(),
  fc.constantFrom(0, -0, 2 ** 31, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER + 2, 1e308, 1.5, -1),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.boolean(),
  fc.constant(null),
);

/** Any JSON value, nested a few levels, with hostile keys and leaves. */
export const anyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileScalar,
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...NASTY)), tie("value"), {
      maxKeys: 5,
    }),
  ),
})).value;

/** Text that is not JSON, or JSON the parser may choke on (deep nesting, big numbers). */
export const notQuiteJson: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.constantFrom("{", "}", "[1,", '{"a":}', "nul", "1e99999", '"\\ud800"', "\u0000", "{{}}", ""),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => "[".repeat(depth) + "]".repeat(depth)),
  fc.integer({ min: 1, max: 5_000 }).map((depth) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth)),
  anyJson.map((value) => JSON.stringify(value).slice(0, -1)),
);

/** URLs a server could try to reach: only ones that lead nowhere outside this machine. */
export const safeUrl: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "http://127.0.0.1:9/hook",
    "https://example.invalid/hook",
    "http://[::1]:9/",
    "http://169.254.169.254/latest/meta-data",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "https://",
    "https://example.invalid/" + "a".repeat(3000),
  ),
  hostileString.map((path) => `https://example.invalid/${encodeAny(path).slice(0, 500)}`),
  hostileString,
);

/** encodeURIComponent that takes lone surrogates too (as %EF%BF%BD, what a browser sends). */
export function encodeAny(text: string): string {
  return encodeURIComponent(
    text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"),
  );
}

export type JsonSchema = Record<string, unknown>;

interface SchemaContext {
  components: Record<string, JsonSchema>;
  depth: number;
}

function resolveRef(schema: JsonSchema, context: SchemaContext): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== "string") return schema;
  const name = ref.split("/").at(-1)!;
  return context.components[name] ?? {};
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const format = schema.format;
  if (format === "uri" || format === "url") return safeUrl;
  if (format === "email") return fc.oneof(fc.emailAddress(), hostileString);
  if (format === "date-time") {
    return fc.oneof(
      fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
      hostileString,
    );
  }
  const minLength = typeof schema.minLength === "number" ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === "number" ? schema.maxLength : 40;
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.string({ minLength, maxLength: Math.min(maxLength, Math.max(minLength, 60)) }),
    },
    { weight: 1, arbitrary: fc.constant("x".repeat(maxLength)) },
    { weight: 1, arbitrary: fc.constant("x".repeat(maxLength + 1)) },
    { weight: 1, arbitrary: hostileString },
  );
}

function typedValue(type: string, schema: JsonSchema, context: SchemaContext): fc.Arbitrary<unknown> {
  switch (type) {
    case "string":
      return stringFor(schema);
    case "integer": {
      const min = typeof schema.minimum === "number" ? schema.minimum : -5;
      const max = typeof schema.maximum === "number" ? schema.maximum : 50;
      return fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31) }) },
        { weight: 1, arbitrary: hostileNumber },
      );
    }
    case "number":
      return hostileNumber;
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const items =
        typeof schema.items === "object" && schema.items !== null ? (schema.items as JsonSchema) : {};
      const maxItems = typeof schema.maxItems === "number" ? schema.maxItems : 5;
      return fc.array(valueFor(items, { ...context, depth: context.depth + 1 }), {
        maxLength: Math.min(maxItems + 1, 8),
      });
    }
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, property] of Object.entries(properties)) {
        shape[key] = valueFor(property, { ...context, depth: context.depth + 1 });
      }
      if (Object.keys(shape).length === 0)
        return fc.dictionary(fc.string({ maxLength: 10 }), hostileScalar, { maxKeys: 3 });
      return fc.record(shape, { requiredKeys: required.filter((key) => key in shape) });
    }
    default:
      return anyJson;
  }
}

/** A value for the schema: mostly valid, sometimes just past a bound, now and then anything. */
export function valueFor(raw: JsonSchema, context: SchemaContext): fc.Arbitrary<unknown> {
  const schema = resolveRef(raw, context);
  if (context.depth > 6) return hostileScalar;
  if (Array.isArray(schema.enum))
    return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...(schema.enum as unknown[])) }, hostileScalar);
  if ("const" in schema) return fc.oneof({ weight: 5, arbitrary: fc.constant(schema.const) }, hostileScalar);
  const choices = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (Array.isArray(choices) && choices.length > 0)
    return fc.oneof(...choices.map((choice) => valueFor(choice, context)));
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    const merged: JsonSchema = { type: "object", properties: {}, required: [] };
    for (const part of schema.allOf as JsonSchema[]) {
      const resolved = resolveRef(part, context);
      Object.assign(merged.properties as object, resolved.properties ?? {});
      (merged.required as string[]).push(...((resolved.required as string[] | undefined) ?? []));
    }
    return valueFor(merged, context);
  }
  const type = schema.type;
  if (Array.isArray(type))
    return fc.oneof(...(type as string[]).map((each) => typedValue(each, schema, context)));
  if (typeof type === "string") return typedValue(type, schema, context);
  if (schema.properties !== undefined) return typedValue("object", schema, context);
  return anyJson;
}

/** Replaces one field of an object (or the whole value) with anything. */
export function bent(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.nat(), anyJson, fc.string({ maxLength: 12 }))
    .map(([value, index, replacement, extraKey]) => {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return replacement;
      const keys = Object.keys(value);
      const key = keys.length === 0 || index % 5 === 0 ? extraKey : keys[index % keys.length]!;
      return { ...value, [key]: replacement };
    });
}

/** Mostly schema-shaped, a share bent, a share anything at all. */
export function bodyFor(schema: JsonSchema | undefined, context: SchemaContext): fc.Arbitrary<unknown> {
  if (schema === undefined) return anyJson;
  const valid = valueFor(schema, context);
  return fc.oneof(
    { weight: 5, arbitrary: valid },
    { weight: 3, arbitrary: bent(valid) },
    { weight: 1, arbitrary: anyJson },
  );
}

export type { SchemaContext };
