/**
 * A tiny filesystem made for one test, to fill up: tmpfs when we may mount (root), else a loop
 * device with a small ext4 image. `undefined` with the reason when neither works, so the caller
 * skips saying why.
 */
import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TinyDisk {
  dir: string;
  kind: "tmpfs" | "ext4 loop";
  /** Writes a filler file until the filesystem refuses (ENOSPC); returns its size. */
  fill(): number;
  /** Deletes the filler: space returns. */
  free(): void;
  dispose(): void;
}

const run = (command: string, args: string[]) => execFileSync(command, args, { stdio: "pipe" });

export function makeTinyDisk(megabytes: number): TinyDisk | { skip: string } {
  const base = mkdtempSync(join(tmpdir(), "parley-tinydisk-"));
  const dir = join(base, "mnt");
  execFileSync("mkdir", [dir]);
  const failures: string[] = [];
  let kind: TinyDisk["kind"] | undefined;
  try {
    run("mount", ["-t", "tmpfs", "-o", `size=${megabytes}m,mode=0700`, "tmpfs", dir]);
    kind = "tmpfs";
  } catch (error) {
    failures.push(`tmpfs: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`);
  }
  if (kind === undefined) {
    const image = join(base, "disk.img");
    try {
      run("truncate", ["-s", `${megabytes}M`, image]);
      run("mkfs.ext4", ["-q", "-F", image]);
      run("mount", ["-o", "loop", image, dir]);
      kind = "ext4 loop";
    } catch (error) {
      failures.push(`loop device: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`);
    }
  }
  if (kind === undefined) {
    rmSync(base, { recursive: true, force: true });
    return { skip: `skipped: cannot make a tiny filesystem to fill (${failures.join("; ")})` };
  }
  const filler = join(dir, "filler");
  return {
    dir,
    kind,
    fill() {
      const fd = openSync(filler, "a");
      const chunk = Buffer.alloc(16 * 1024);
      let written = 0;
      try {
        for (;;) written += writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
      } finally {
        closeSync(fd);
      }
      // ext4 keeps a few blocks back for small writes: take those too.
      for (const size of [4096, 512, 1]) {
        const small = openSync(filler, "a");
        try {
          for (;;) written += writeSync(small, Buffer.alloc(size));
        } catch {
          // full at this size
        } finally {
          closeSync(small);
        }
      }
      return written;
    },
    free() {
      rmSync(filler, { force: true });
    },
    dispose() {
      try {
        run("umount", ["-l", dir]);
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    },
  };
}
