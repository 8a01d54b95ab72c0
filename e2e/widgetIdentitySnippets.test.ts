/**
 * The back-end snippets of the widget's README ("The hash") make the hash the server accepts:
 * each one is run as written, with a site's real identity secret in its environment, and what it
 * prints is sent to `POST /widget/identify` as a page of the site would send it. Node's and
 * Python's are run (Python when `python3` is there); the Ruby, PHP and Go ones when their tools
 * are installed.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { IdentifyResponse, Site } from "@parley/protocol";
import { login } from "./support/agent.js";
import { createSite, identityHash, identitySecret } from "./support/contacts.js";
import { startParley, type Parley } from "./support/parley.js";

const README = readFileSync(new URL("../packages/widget/README.md", import.meta.url), "utf8");
const SHOP = "https://shop.example";
const USER = "user-4242";

let parley: Parley;
let site: Site;
let secret: string;

before(async () => {
  parley = await startParley({ allowedOrigins: [SHOP] });
  const cookie = await login(parley.url);
  site = await createSite(parley.url, cookie, { name: "Shop", allowed_origins: [SHOP] });
  secret = await identitySecret(parley.url, cookie, site.id);
});

after(() => parley?.close());

/** The code block that follows `<!-- snippet:NAME -->` in the README. */
function snippet(name: string): string {
  const match = new RegExp(`<!-- snippet:${name} -->\\s*\`\`\`\\w+\\n([\\s\\S]*?)\`\`\``).exec(README);
  assert.ok(match?.[1], `the README has a ${name} snippet`);
  return match[1];
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, {
    encoding: "utf8",
    env: { ...process.env, PARLEY_IDENTITY_SECRET: secret },
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

function has(command: string): boolean {
  return spawnSync(command, ["--version"], { encoding: "utf8" }).status === 0;
}

/** What the server says of `hash` for USER, asked as the site's page asks. */
async function identify(hash: string): Promise<{ status: number; body: Partial<IdentifyResponse> }> {
  const response = await fetch(`${parley.url}/widget/identify`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: SHOP },
    body: JSON.stringify({ token: `snippet-${hash.slice(0, 20)}`, site: site.key, id: USER, hash }),
  });
  return { status: response.status, body: (await response.json()) as Partial<IdentifyResponse> };
}

test("the Node snippet makes the hash the server accepts", async () => {
  const code = `${snippet("node")}\nconsole.log(parleyHash(process.argv[1]));`;
  const hash = run(process.execPath, ["--input-type=module", "-e", code, USER]);
  assert.match(hash, /^[0-9a-f]{64}$/);
  assert.equal(hash, identityHash(secret, USER));
  const { status, body } = await identify(hash);
  assert.equal(status, 200);
  assert.equal(body.verified, true);
});

test("the Python snippet makes the same hash", { skip: !has("python3") && "no python3" }, async () => {
  const code = `import sys\n${snippet("python")}\nprint(parley_hash(sys.argv[1]))`;
  const hash = run("python3", ["-c", code, USER]);
  assert.equal(hash, identityHash(secret, USER));
  const { status, body } = await identify(hash);
  assert.equal(status, 200);
  assert.equal(body.verified, true);
});

/** The other languages' snippets, checked where their tools are installed. */
const others: { name: string; tool: string; hash: () => string }[] = [
  {
    name: "ruby",
    tool: "ruby",
    hash: () => run("ruby", ["-e", `${snippet("ruby")}\nputs parley_hash(ARGV[0])`, USER]),
  },
  {
    name: "php",
    tool: "php",
    hash: () => run("php", ["-r", `${snippet("php")}\necho parley_hash($argv[1]);`, "--", USER]),
  },
  {
    name: "go",
    tool: "go",
    hash: () => {
      const dir = mkdtempSync(join(tmpdir(), "parley-snippet-"));
      try {
        const main = `package main\n\n${snippet("go")}\nfunc main() { os.Stdout.WriteString(parleyHash(os.Args[1])) }\n`;
        writeFileSync(join(dir, "main.go"), main);
        return run("go", ["run", join(dir, "main.go"), USER]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];

for (const { name, tool, hash } of others) {
  const installed = spawnSync(tool, [tool === "go" ? "version" : "--version"]).status === 0;
  test(`the ${name} snippet makes the same hash`, { skip: !installed && `no ${tool}` }, async () => {
    const made = hash();
    assert.equal(made, identityHash(secret, USER));
    assert.equal((await identify(made)).status, 200);
  });
}

test("a hash made with another secret is refused", async () => {
  const { status } = await identify(identityHash(`${secret}x`, USER));
  assert.equal(status, 403);
});
