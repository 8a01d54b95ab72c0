/**
 * A real IMAP server for the email tests: Debian's dovecot, started in a temporary directory
 * with its own configuration (IMAP only on 127.0.0.1 and a free port, one user with a plain
 * password, maildir storage in the directory) and stopped on teardown. Dovecot runs its parts as
 * the user the tests run as, except two that refuse root: under root (CI) the login process runs
 * as the package's `dovenull` (else `nobody`) and the mail as `nobody`, owning the maildir.
 */
import { spawn, type ChildProcess } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { Socket } from "node:net";
import { ImapFlow } from "imapflow";
import { freePort } from "./processes.js";

export const DOVECOT_BINARY = "/usr/sbin/dovecot";

/** Why the IMAP suites skip on this machine, or undefined when dovecot is there. */
export function dovecotMissing(): string | undefined {
  return existsSync(DOVECOT_BINARY) ? undefined : `no dovecot at ${DOVECOT_BINARY} (install dovecot-imapd)`;
}

export interface Dovecot {
  port: number;
  user: string;
  password: string;
  /** `imap://user:password@127.0.0.1:port/INBOX`, as IMAP_URL takes it. */
  url: string;
  /** Puts a raw RFC 5322 message into the INBOX, unseen. */
  append(raw: string | Buffer): Promise<void>;
  /** Flags of each message in the INBOX, by Message-ID. */
  flagsByMessageId(): Promise<Map<string, Set<string>>>;
  /** Dovecot's own log, for a failing test's message. */
  log(): string;
  stop(): Promise<void>;
}

const USER = "replies";
const PASSWORD = "mailbox-secret";

interface Account {
  username: string;
  uid: number;
  gid: number;
}

function account(name: string): Account | undefined {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith(`${name}:`));
  if (line === undefined) return undefined;
  const fields = line.split(":");
  return { username: name, uid: Number(fields[2]), gid: Number(fields[3]) };
}

function currentAccount(): Account {
  const me = userInfo();
  return { username: me.username, uid: me.uid, gid: me.gid };
}

/** The user dovecot's login process runs as: never root. */
function loginUser(me: Account): string {
  if (me.uid !== 0) return me.username;
  return account("dovenull")?.username ?? "nobody";
}

/** Who owns and reads the mail: dovecot refuses uid 0 for it. */
function mailAccount(me: Account): Account {
  if (me.uid !== 0) return me;
  const nobody = account("nobody");
  if (nobody === undefined) throw new Error("no user 'nobody' to own the test mailbox");
  return nobody;
}

function config(dir: string, port: number, me: Account, mail: Account): string {
  return `
protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${me.username}
default_internal_group = ${groupName(me.gid)}
default_login_user = ${loginUser(me)}
first_valid_uid = 0
first_valid_gid = 0
mail_uid = ${mail.uid}
mail_gid = ${mail.gid}
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${mail.uid} gid=${mail.gid} home=${dir}/home/%u
}
# No chroot: it needs root, and the test directory is all there is.
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service auth {
  user = ${me.username}
}
service auth-worker {
  user = ${me.username}
}
`;
}

/** The name of a group id (dovecot wants names); root's is root, else from /etc/group. */
function groupName(gid: number): string {
  const line = readFileSync("/etc/group", "utf8")
    .split("\n")
    .find((entry) => entry.split(":")[2] === String(gid));
  return line?.split(":")[0] ?? String(gid);
}

/** Whether dovecot greets on the port: a connection alone may wait on a login process that failed. */
function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(500, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("data", (chunk: Buffer) => {
      socket.destroy();
      resolve(chunk.toString().startsWith("* OK"));
    });
    socket.once("error", () => resolve(false));
    socket.connect(port, "127.0.0.1");
  });
}

export async function startDovecot(): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), "parley-dovecot-"));
  // The login process (another user under root) reaches its sockets through this directory.
  chmodSync(dir, 0o755);
  const me = currentAccount();
  const mail = mailAccount(me);
  for (const sub of ["run", "state", "mail", "home"]) mkdirSync(join(dir, sub));
  for (const sub of ["mail", "home"]) chownSync(join(dir, sub), mail.uid, mail.gid);
  const port = await freePort();
  writeFileSync(join(dir, "dovecot.conf"), config(dir, port, me, mail));
  writeFileSync(join(dir, "passwd"), `${USER}:{PLAIN}${PASSWORD}\n`);
  writeFileSync(join(dir, "dovecot.log"), "");
  const child: ChildProcess = spawn(DOVECOT_BINARY, ["-F", "-c", join(dir, "dovecot.conf")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on("exit", () => {
      exited = true;
      resolve();
    }),
  );
  // A test process that ends without its teardown (a crash, a cancelled run) takes dovecot along.
  const orphanGuard = (): void => {
    if (!exited) child.kill("SIGTERM");
  };
  process.once("exit", orphanGuard);
  const log = (): string => `${output}${readFileSync(join(dir, "dovecot.log"), "utf8")}`;
  const stop = async (): Promise<void> => {
    process.removeListener("exit", orphanGuard);
    if (!exited) {
      child.kill("SIGTERM");
      await exit;
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 20_000;
  while (!(await portAnswers(port))) {
    if (exited || Date.now() > deadline) {
      const why = log();
      await stop();
      throw new Error(`dovecot did not come up:\n${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const client = (): ImapFlow =>
    new ImapFlow({
      host: "127.0.0.1",
      port,
      secure: false,
      auth: { user: USER, pass: PASSWORD },
      logger: false,
    });

  return {
    port,
    user: USER,
    password: PASSWORD,
    url: `imap://${USER}:${PASSWORD}@127.0.0.1:${port}/INBOX`,
    log,
    stop,
    async append(raw) {
      const imap = client();
      await imap.connect();
      try {
        await imap.append("INBOX", raw, []);
      } finally {
        await imap.logout();
      }
    },
    async flagsByMessageId() {
      const imap = client();
      await imap.connect();
      const flags = new Map<string, Set<string>>();
      try {
        const lock = await imap.getMailboxLock("INBOX");
        try {
          for await (const message of imap.fetch("1:*", { envelope: true, flags: true })) {
            flags.set(message.envelope?.messageId ?? "", message.flags ?? new Set());
          }
        } finally {
          lock.release();
        }
      } finally {
        await imap.logout();
      }
      return flags;
    },
  };
}
