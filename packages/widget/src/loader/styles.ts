/**
 * The launcher's stylesheet, in widget.js; the panel's is in ../ui/styles.ts (the app). `:host`
 * resets everything the page could make the host inherit, with !important because that is the
 * one way a shadow root's rules beat the page's own !important rules on the host element. Sizes
 * are in px, never rem: the page's root font size must not scale the widget.
 */
export const LAUNCHER_CSS = `
:host{all:initial!important;display:block!important;position:static!important;visibility:visible!important;opacity:1!important}
*{box-sizing:border-box}
[hidden]{display:none!important}
.w{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Hiragino Sans","Yu Gothic",sans-serif;color:#1a1a1a;-webkit-text-size-adjust:100%;text-size-adjust:100%}
button,textarea,input{font-family:inherit}
:focus-visible{outline:3px solid #111;outline-offset:2px}
.l{position:fixed;z-index:2147483647;bottom:calc(20px + env(safe-area-inset-bottom));right:calc(20px + env(safe-area-inset-right));min-width:56px;height:56px;padding:0 16px;border:0;border-radius:28px;background:var(--c);color:var(--f);display:flex;align-items:center;justify-content:center;gap:8px;font-size:15px;font-weight:600;cursor:pointer;box-shadow:0 4px 16px rgba(0,0,0,.25)}
.l:focus-visible{outline-color:var(--c);box-shadow:0 0 0 3px #fff}
.l svg{width:26px;height:26px;fill:currentColor;flex:none}
.n{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#b3261e;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center}
.left .l{right:auto;left:calc(20px + env(safe-area-inset-left))}
@media (max-width:640px){.open .l{display:none}}
`;
