export * from "./wire.js";
export * from "./preview.js";
export * from "./links.js";
export * from "./cable/index.js";
