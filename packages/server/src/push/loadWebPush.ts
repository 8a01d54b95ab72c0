/** web-push (and its ASN.1 and JWT dependencies) loads with the first push sent, not at boot. */
import { loadOnce } from "../loadOnce.js";
import { importPackage } from "../importPackage.js";

type WebPush = typeof import("web-push");

// A CommonJS package: an import() gives its exports as `default`, and those Node finds by name.
export const loadWebPush = loadOnce(() => importPackage<WebPush & { default: WebPush }>("web-push"));
