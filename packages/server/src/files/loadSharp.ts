/** sharp (libvips) loads with the first image or avatar, not at boot: many servers never get one. */
import { loadOnce } from "../loadOnce.js";

export const loadSharp = loadOnce(async () => (await import("sharp")).default);
