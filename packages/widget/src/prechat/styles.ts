/** The pre-chat chunk's rules, added with its forms: the panel's stylesheet carries none of them. */
export const CONTACT_CSS = `
.pf,.ask{padding:10px 16px;border-top:1px solid #e3e5e8;font-size:14px}
.pf p{margin:0 0 6px}
.pf label{display:block;font-weight:600;margin:8px 0 4px}
.pf input{display:block;width:100%}
.pf [aria-invalid=true]{border-color:#a8231b;border-width:2px}
.pf .pe{margin:4px 0 0;color:#a8231b;font-size:13px}
.ask form{display:flex;gap:8px;margin-top:6px;align-items:center}
.ok{flex:none;border:0;border-radius:10px;padding:10px 14px;background:var(--c);color:var(--f);font-size:14px;font-weight:600;cursor:pointer}
.pf .ok{margin-top:10px}
.ok:disabled{opacity:.6;cursor:wait}
.k{border:0;background:none;padding:0 2px;font-size:inherit;color:#555b61;text-decoration:underline;cursor:pointer}
`;
