/** web-push (and its ASN.1 and JWT dependencies) loads with the first push sent, not at boot. */
import { loadOnce } from "../loadOnce.js";

export const loadWebPush = loadOnce(async () => await import("web-push"));
