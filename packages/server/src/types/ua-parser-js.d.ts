/** The part of ua-parser-js 1.x (MIT; it ships no types) that chat/visitorContext.ts uses. */
declare module "ua-parser-js" {
  interface UAResult {
    browser: { name?: string; version?: string; major?: string };
    os: { name?: string; version?: string };
    /** `type` is absent for desktops. */
    device: { type?: string; vendor?: string; model?: string };
  }

  export default class UAParser {
    constructor(userAgent?: string);
    getResult(): UAResult;
  }
}
