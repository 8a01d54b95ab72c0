/**
 * The panel's stylesheet, added by the app to the shadow root next to the launcher's (the
 * resets, fonts and focus ring are there: ../loader/styles.ts). Sizes are in px, never rem: the
 * page's root font size must not scale the widget. Text colours meet WCAG AA on their backgrounds.
 */
export const PANEL_CSS = `
.p{position:fixed;z-index:2147483647;bottom:calc(88px + env(safe-area-inset-bottom));right:calc(20px + env(safe-area-inset-right));width:370px;max-width:calc(100vw - 40px);height:min(600px,calc(100vh - 110px));display:flex;flex-direction:column;background:#fff;border-radius:14px;box-shadow:0 10px 40px rgba(0,0,0,.28);overflow:hidden}
.left .p{right:auto;left:calc(20px + env(safe-area-inset-left))}
.h{display:flex;align-items:flex-start;gap:8px;padding:14px 12px 14px 16px;background:var(--c);color:var(--f)}
.h :focus-visible{outline-color:var(--f)}
h2{margin:0;font-size:17px;font-weight:600;line-height:1.3}
.s{margin:2px 0 0;font-size:13px;display:flex;align-items:center;gap:6px}
.s i{width:9px;height:9px;border-radius:50%;border:1px solid currentColor;flex:none}
.on .s i{background:#3ddc84}
.bk{margin:2px 0 0;font-size:13px;font-weight:600}
.tm{margin:6px 0 4px;font-size:13px;display:flex;align-items:center;gap:8px}
.fs{display:flex;flex:none}
.av{width:28px;height:28px;border-radius:50%;object-fit:cover;display:inline-grid;place-items:center;font-size:13px;font-weight:600;background:var(--c);color:var(--f);box-shadow:0 0 0 2px var(--f);flex:none}
.av+.av{margin-left:-6px}
.who .av{width:22px;height:22px;margin-right:6px;vertical-align:middle;box-shadow:none;font-size:12px}
.ak{margin:0 16px;font-size:13px;color:#555b61;text-align:center}
.x{margin-left:auto;flex:none;width:40px;height:40px;border:0;border-radius:8px;background:none;color:inherit;display:grid;place-items:center;cursor:pointer}
.x svg,.send svg,.pc svg{width:22px;height:22px;fill:currentColor}
.note{margin:0;padding:8px 16px;font-size:13px;background:#fff4e5;color:#4d3000}
.log{flex:1;overflow-y:auto;margin:0;padding:16px;list-style:none;display:flex;flex-direction:column;gap:8px;overscroll-behavior:contain}
.m{position:relative;max-width:82%;align-self:flex-start}
.m.v{align-self:flex-end;text-align:right}
.b{display:inline-block;text-align:left;padding:8px 12px;border-radius:16px;background:#eef0f2;color:#1a1a1a;white-space:pre-wrap;overflow-wrap:anywhere}
.b a{color:#0a4fc2}
.v .b{background:var(--c);color:var(--f)}
.v .b a{color:inherit}
.at{display:flex;flex-wrap:wrap;gap:4px}
.at img{display:block;max-width:100%;height:auto;border-radius:8px;background:#fff}
.f{text-decoration:underline}
.who,.t{font-size:12px;color:#555b61;margin:0 6px 2px}
.t{margin:2px 6px 0}
.failed .t{color:#a8231b}
.r{border:0;background:none;padding:0 2px;font-size:inherit;color:#0a4fc2;text-decoration:underline;cursor:pointer}
.ty{min-height:20px;margin:0;padding:0 16px 4px;font-size:13px;color:#555b61}
.c{display:flex;gap:8px;align-items:flex-end;padding:10px 12px 12px;border-top:1px solid #e3e5e8}
textarea,input{flex:1;min-width:0;font-size:16px;line-height:1.4;color:#1a1a1a;background:#fff;border:1px solid #80868b;border-radius:12px;padding:9px 12px}
textarea{resize:none;height:44px;max-height:140px}
.send{flex:none;border:0;background:var(--c);color:var(--f);cursor:pointer}
.send,.pc{width:44px;height:44px;border-radius:50%;display:grid;place-items:center}
.pc{flex:none;border:0;background:none;color:#555b61;cursor:pointer}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:640px){.p,.left .p{inset:0;width:auto;max-width:none;height:auto;border-radius:0;padding:env(safe-area-inset-top) env(safe-area-inset-right) env(safe-area-inset-bottom) env(safe-area-inset-left)}}
@media (prefers-reduced-motion:no-preference){.p{animation:u .16s ease-out}}
@keyframes u{from{opacity:0;transform:translateY(8px)}}
`;
