/**
 * A certificate authority and a 127.0.0.1 server certificate made for one test run with the
 * `openssl` command, so the server under test reaches the fake push service over real TLS and
 * trusts it only through NODE_EXTRA_CA_CERTS, exactly as it would trust a private CA.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface TestCertificate {
  /** The CA certificate's file, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  key: string;
  cert: string;
}

export function makeTestCertificate(dir: string): TestCertificate {
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(
    "req",
    "-x509",
    ...ec,
    "-keyout",
    file("ca.key"),
    "-out",
    file("ca.pem"),
    "-days",
    "1",
    "-subj",
    "/CN=Parley test push CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign",
  );
  openssl("req", ...ec, "-keyout", file("push.key"), "-out", file("push.csr"), "-subj", "/CN=127.0.0.1");
  writeFileSync(
    file("push.ext"),
    "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
  );
  openssl(
    "x509",
    "-req",
    "-in",
    file("push.csr"),
    "-CA",
    file("ca.pem"),
    "-CAkey",
    file("ca.key"),
    "-CAcreateserial",
    "-out",
    file("push.pem"),
    "-days",
    "1",
    "-extfile",
    file("push.ext"),
  );
  return {
    caFile: file("ca.pem"),
    key: readFileSync(file("push.key"), "utf8"),
    cert: readFileSync(file("push.pem"), "utf8"),
  };
}
