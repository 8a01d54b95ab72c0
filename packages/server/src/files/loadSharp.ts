/** sharp (libvips) loads with the first image or avatar, not at boot: many servers never get one. */
import { loadOnce } from "../loadOnce.js";
import { importPackage } from "../importPackage.js";

export const loadSharp = loadOnce(async () => (await importPackage<typeof import("sharp")>("sharp")).default);
