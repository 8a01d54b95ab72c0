/**
 * A dependency that most deployments never use (S3, image processing, email, Redis, Postgres) is
 * imported on its first use rather than at boot: each costs tens of milliseconds of cold start
 * (docs/benchmarks.md), and the server bundle keeps npm packages external, so only a dynamic
 * import (importPackage.ts) inside the module that uses it defers the cost. `loadOnce` makes that
 * import happen once; every caller after the first gets the same module.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      // A failed import (a missing optional native module) may be retried on the next use.
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
