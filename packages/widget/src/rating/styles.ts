/** The rating card's rules, added with it: the panel's stylesheet carries none of them. */
export const RATING_CSS = `
.rt{padding:8px 16px;border-top:1px solid #e3e5e8;font-size:14px}
.rt fieldset{border:0;margin:0;padding:0}
.rt legend{font-weight:600;margin-bottom:6px;padding:0}
.rs{display:flex;gap:6px}
.rs label{flex:1;text-align:center;font-size:22px;line-height:1;padding:6px 0;border:2px solid #d5d8dc;border-radius:10px;cursor:pointer}
.rs input{position:absolute;opacity:0;width:1px;height:1px}
.rs label:has(:checked){border-color:var(--c);background:color-mix(in srgb,var(--c) 14%,#fff)}
.rs label:has(:focus-visible){outline:2px solid var(--c);outline-offset:2px}
.rt>label{display:block;margin:8px 0 4px}
.rt textarea{box-sizing:border-box;width:100%;min-height:52px;font:inherit;padding:6px 8px;border:1px solid #8a9097;border-radius:8px;resize:vertical}
.rt .ok{margin-top:6px;border:0;border-radius:10px;padding:10px 14px;background:var(--c);color:var(--f);font-size:14px;font-weight:600;cursor:pointer}
.rt .ok:disabled{opacity:.6;cursor:wait}
.re{margin:4px 0 0;color:#a8231b;font-size:13px}
`;
