/** The part of s3rver (which ships no types) the S3 suite uses. */
declare module "s3rver" {
  interface S3rverOptions {
    address?: string;
    /** 0: any free port; `run()` says which. */
    port?: number;
    silent?: boolean;
    /** Where buckets and objects are kept. */
    directory: string;
  }

  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
}
