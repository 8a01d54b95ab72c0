/** The mail chunk's rules, added with its entries: the panel's stylesheet carries none of them. */
export const MAIL_CSS = `
.ml{padding:6px 16px;border-top:1px solid #e3e5e8;font-size:14px}
.ml label{display:block;font-weight:600;margin:4px 0}
.mr{display:flex;gap:8px;align-items:center;margin-bottom:4px}
.ml [aria-invalid=true]{border-color:#a8231b;border-width:2px}
.me{margin:0 0 4px;color:#a8231b;font-size:13px}
.mo{display:flex;gap:8px;align-items:baseline}
.mo p{margin:0;flex:1}
.mb{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:13px}
.ml .ok{flex:none;border:0;border-radius:10px;padding:10px 14px;background:var(--c);color:var(--f);font-size:14px;font-weight:600;cursor:pointer}
.ml .ok:disabled{opacity:.6;cursor:wait}
.ml .k{border:0;background:none;padding:4px 2px;font-size:inherit;color:#555b61;text-decoration:underline;cursor:pointer}
`;
