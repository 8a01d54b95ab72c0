/**
 * Route validators compiled on a route's first request instead of at boot.
 *
 * Fastify compiles every route's body, query and params schemas with Ajv while the app starts:
 * with about 150 routes that was the largest single cost of a cold start (Ajv's code generation,
 * about a sixth of the CPU from spawn to `/up`, docs/benchmarks.md), paid again on every restart,
 * for routes most deployments call rarely or never. Here the same Ajv compiler (Fastify's own,
 * with the app's options and shared schemas) runs when a route is first asked to validate; the
 * validator is then kept, so later requests cost what they did.
 *
 * Compiling late must not hide a broken schema until a visitor finds it: every validator made
 * here is remembered, and `compileAllValidators` (run by the tests) compiles each one.
 */
import ajvCompiler from "@fastify/ajv-compiler";
import type { FastifyServerOptions } from "fastify";

type ValidatorFactory = ReturnType<typeof ajvCompiler>;
type AjvValidate = ReturnType<ReturnType<ValidatorFactory>>;
type Validate = ((data: unknown) => unknown) & { errors?: AjvValidate["errors"] };

/** Each validator made so far: its compile, and its compile with the schema checked (for tests). */
const pending = new Set<{ compileNow: () => unknown; checkSchema: () => unknown }>();
/** How many validators Ajv has compiled in this process (for tests). */
let compiledCount = 0;

/**
 * `{ type: "object", properties: {}, additionalProperties: false }` (schemas.ts' noQuery: about a
 * hundred routes take no query, /up among them). For an object Ajv's answer is known without
 * Ajv: valid, every key dropped (Fastify's removeAdditional), or valid only when empty without
 * it. So the first request of such a route, a restart's health check the first of all, does not
 * build an Ajv instance and its shared schemas (14 ms of a restart's profile on one core).
 * Anything but an object still goes to Ajv, for its own error.
 */
function takesNoKeys(schema: unknown): boolean {
  if (typeof schema !== "object" || schema === null) return false;
  const { type, properties, additionalProperties, ...rest } = schema as Record<string, unknown>;
  return (
    type === "object" &&
    additionalProperties === false &&
    typeof properties === "object" &&
    properties !== null &&
    Object.keys(properties).length === 0 &&
    Object.keys(rest).length === 0
  );
}

/** Ajv's test for `type: "object"`. */
function isObject(data: unknown): data is Record<string, unknown> {
  return typeof data === "object" && data !== null && !Array.isArray(data);
}

/** Fastify's `schemaController` option: its default Ajv validators, each compiled on first use. */
export function lazyValidatorController(): NonNullable<FastifyServerOptions["schemaController"]> {
  const eager: ValidatorFactory = ajvCompiler();
  const buildValidator: ValidatorFactory = (externalSchemas, ajvOptions) => {
    // Ajv checks a schema against the JSON Schema meta-schema before compiling it, and compiling
    // that meta-schema was 40-50 ms of a restart's first request. The routes' schemas are the
    // code's, never a request's: compileAllValidators (the tests) checks every one of them with
    // the meta-schema, so the running server skips the check.
    // Fastify's validators take Ajv's JSON Schema options (never JTD's), so the spread keeps the type.
    const unchecked = {
      ...ajvOptions,
      customOptions: { ...ajvOptions?.customOptions, validateSchema: false },
    } as typeof ajvOptions;
    // Late too: the eager factory keys its pool by the JSON of every shared schema and option,
    // which Fastify asks for again and again while routes are added (36 ms of a boot's CPU).
    const dropsKeys = (ajvOptions?.customOptions as { removeAdditional?: unknown } | undefined)
      ?.removeAdditional;
    // Ajv's own default is to keep them; Fastify's (@fastify/ajv-compiler) is to drop them.
    const strips = dropsKeys === undefined || dropsKeys === true || dropsKeys === "all";
    let compiler: ReturnType<ValidatorFactory> | undefined;
    let checker: ReturnType<ValidatorFactory> | undefined;
    const compile: ReturnType<ValidatorFactory> = (route) =>
      (compiler ??= eager(externalSchemas, unchecked))(route);
    return (route) => {
      let compiled: AjvValidate | undefined;
      const compileNow = () => {
        if (compiled === undefined) {
          compiled = compile(route);
          compiledCount++;
        }
        return compiled;
      };
      const noKeys = takesNoKeys(route.schema);
      pending.add({ compileNow, checkSchema: () => (checker ??= eager(externalSchemas, ajvOptions))(route) });
      // Fastify reads `errors` off the function it was given after a failed check (Ajv's way).
      const validate = ((data: unknown) => {
        if (noKeys && isObject(data)) {
          if (strips) {
            for (const key of Object.keys(data)) delete data[key];
            return true;
          }
          if (Object.keys(data).length === 0) return true;
        }
        const check = compileNow();
        const result = check(data);
        validate.errors = check.errors;
        return result;
      }) as Validate;
      // Typed as Ajv's own function (schema, schemaEnv...), of which Fastify only calls it and
      // reads `errors`.
      return validate as AjvValidate;
    };
  };
  return { compilersFactory: { buildValidator } };
}

/** How many validators Ajv has compiled in this process so far. For tests. */
export function compiledValidatorCount(): number {
  return compiledCount;
}

/**
 * Compiles every validator made so far, and checks its schema against the JSON Schema
 * meta-schema as Ajv does by default; throws one error naming every schema refused. For tests.
 */
export function compileAllValidators(): number {
  const refused: string[] = [];
  for (const { compileNow, checkSchema } of pending) {
    try {
      compileNow();
      checkSchema();
    } catch (error) {
      refused.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (refused.length > 0) throw new Error(`schemas refused:\n${refused.join("\n")}`);
  return pending.size;
}
