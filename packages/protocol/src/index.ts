export * from "./wire.js";
export * from "./cable/index.js";
