/**
 * Back-end code that signs a user id for the widget (§12): the hex HMAC-SHA256 of the id, keyed
 * with the site's identity secret. The secret is read from the environment in every snippet, so
 * nobody pastes it into a page or a repository.
 */
export const SECRET_VARIABLE = "PARLEY_IDENTITY_SECRET";

export type SnippetLanguage = "node" | "python" | "ruby" | "php" | "go";

export const SNIPPET_LANGUAGES: readonly { id: SnippetLanguage; label: string }[] = [
  { id: "node", label: "Node.js" },
  { id: "python", label: "Python" },
  { id: "ruby", label: "Ruby" },
  { id: "php", label: "PHP" },
  { id: "go", label: "Go" },
];

export function identitySnippet(language: SnippetLanguage): string {
  switch (language) {
    case "node":
      return [
        'import { createHmac } from "node:crypto";',
        "",
        "// user.id: your own id for the signed-in user, as a string",
        `const hash = createHmac("sha256", process.env.${SECRET_VARIABLE})`,
        "  .update(String(user.id))",
        '  .digest("hex");',
      ].join("\n");
    case "python":
      return [
        "import hashlib, hmac, os",
        "",
        "# user.id: your own id for the signed-in user, as a string",
        "hash = hmac.new(",
        `    os.environ["${SECRET_VARIABLE}"].encode(),`,
        "    str(user.id).encode(),",
        "    hashlib.sha256,",
        ").hexdigest()",
      ].join("\n");
    case "ruby":
      return [
        'require "openssl"',
        "",
        "# user.id: your own id for the signed-in user, as a string",
        `hash = OpenSSL::HMAC.hexdigest("SHA256", ENV.fetch("${SECRET_VARIABLE}"), user.id.to_s)`,
      ].join("\n");
    case "php":
      return [
        "<?php",
        "// $user->id: your own id for the signed-in user, as a string",
        `$hash = hash_hmac('sha256', (string) $user->id, getenv('${SECRET_VARIABLE}'));`,
      ].join("\n");
    case "go":
      return [
        "import (",
        '\t"crypto/hmac"',
        '\t"crypto/sha256"',
        '\t"encoding/hex"',
        '\t"os"',
        ")",
        "",
        "// userID: your own id for the signed-in user",
        "func identityHash(userID string) string {",
        `\tmac := hmac.New(sha256.New, []byte(os.Getenv("${SECRET_VARIABLE}")))`,
        "\tmac.Write([]byte(userID))",
        "\treturn hex.EncodeToString(mac.Sum(nil))",
        "}",
      ].join("\n");
  }
}
