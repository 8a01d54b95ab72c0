/**
 * `import()` of an npm package the server loads on its first use (loadOnce.ts).
 *
 * From source this is the module system's own `import()`. Built, the server is a CommonJS script
 * that main.ts runs through node:vm, for V8's code cache (bundleCodeCache.ts), and there an
 * `import()` has no module loader unless Node is given an experimental flag. So main.ts, an ES
 * module in the same folder, hands the bundle its own `import()` and the build names it
 * PARLEY_IMPORT: the same packages resolve from the same place to the same ES entry points,
 * except pg, which the build makes a file of its own (build.mjs) and hands over as its default.
 */
declare const PARLEY_IMPORT: ((specifier: string) => Promise<unknown>) | undefined;

export function importPackage<T>(specifier: string): Promise<T> {
  return (typeof PARLEY_IMPORT === "undefined" ? import(specifier) : PARLEY_IMPORT(specifier)) as Promise<T>;
}
