"""Browsable tables for HTML reports: every row of a dataset, searchable and paged in the page.

The rows travel as JSON inside the page and a small script draws one page of them at a time,
so a report of 5,000 pairs opens as fast as one of 50 and needs no server or network. A
cell is text, `{"code": str}` (a program, in <pre>), `{"lines": [str]}` (a trace),
`{"diff": [[op, text], ...]}` (op "=", "-", "+": a word diff), or `{"img": "data:…", "alt": str}`
(a picture: only data:image/ URIs are drawn, the alt text is what search sees). Search matches any cell's
text, case-insensitively; `#q=WORDS` in the page's address pre-fills it (shareable links).
"""

from __future__ import annotations

import difflib
import html
import json
from dataclasses import dataclass, field

STYLE = """
.dt-bar{margin:.5em 0}.dt-bar input{width:24em;max-width:60%;padding:.3em}.dt-bar button{margin-left:.3em}
.dt table{table-layout:fixed;width:100%}.dt td{overflow-wrap:anywhere}.dt th{overflow-wrap:break-word}
.dt td pre{margin:0;max-height:22em;overflow-y:auto;overflow-x:hidden;white-space:pre-wrap;overflow-wrap:anywhere;
font-size:.85em}.dt del{background:#fdd;text-decoration:line-through}
.dt ins{background:#dfd;text-decoration:none}.dt .count{color:#777;margin-left:.6em}
"""

SCRIPT = r"""
function dtCell(v){
  if(v===null||v===undefined) return document.createTextNode('');
  if(typeof v!=='object'){return document.createTextNode(String(v));}
  if(v.code!==undefined){const p=document.createElement('pre');p.textContent=v.code;return p;}
  if(v.lines!==undefined){const p=document.createElement('pre');p.textContent=v.lines.join('\n');return p;}
  if(v.diff!==undefined){const s=document.createElement('span');
    for(const [op,t] of v.diff){const e=document.createElement(op==='-'?'del':op==='+'?'ins':'span');
      e.textContent=t+' ';s.appendChild(e);} return s;}
  if(v.img!==undefined){if(!/^data:image\/(png|jpeg|gif);base64,/.test(v.img)) return document.createTextNode(v.alt||'');
    const i=document.createElement('img');i.src=v.img;i.alt=v.alt||'';i.title=v.alt||'';i.loading='lazy';
    i.style.maxWidth='100%';return i;}
  return document.createTextNode(JSON.stringify(v));
}
function dtText(v){if(v===null||v===undefined) return ''; if(typeof v!=='object') return String(v);
  if(v.code!==undefined) return v.code; if(v.lines!==undefined) return v.lines.join(' ');
  if(v.diff!==undefined) return v.diff.map(x=>x[1]).join(' '); if(v.img!==undefined) return v.alt||'';
  return JSON.stringify(v);}
function dtInit(id){
  const box=document.getElementById(id), data=JSON.parse(document.getElementById(id+'-data').textContent);
  const input=box.querySelector('input'), body=box.querySelector('tbody'), info=box.querySelector('.count');
  const hay=data.rows.map(r=>r.map(dtText).join('\u0001').toLowerCase());
  let page=0, hits=[];
  function draw(){
    body.textContent=''; const n=data.page, start=page*n;
    for(const i of hits.slice(start,start+n)){const tr=document.createElement('tr');
      for(const v of data.rows[i]){const td=document.createElement('td');td.appendChild(dtCell(v));tr.appendChild(td);}
      body.appendChild(tr);}
    const pages=Math.max(1,Math.ceil(hits.length/n));
    info.textContent=hits.length+' of '+data.rows.length+' rows · page '+(page+1)+' of '+pages;
  }
  function search(){const q=input.value.toLowerCase().split(/\s+/).filter(Boolean);
    hits=[];hay.forEach((h,i)=>{if(q.every(w=>h.includes(w))) hits.push(i);}); page=0; draw();}
  input.addEventListener('input',search);
  box.querySelector('.prev').onclick=()=>{if(page>0){page--;draw();}};
  box.querySelector('.next').onclick=()=>{if((page+1)*data.page<hits.length){page++;draw();}};
  const m=/[#&]q=([^&]*)/.exec(location.hash); if(m) input.value=decodeURIComponent(m[1]);
  search();
}
document.querySelectorAll('.dt').forEach(b=>dtInit(b.id));
"""


@dataclass
class DataTable:
    title: str
    columns: list[str]
    rows: list[list[object]]
    note: str = ""
    page_size: int = 25
    id: str = field(default="")
    # Column widths (CSS, e.g. "6em", "30%"), so the table fits the page: it is laid out fixed, code wraps.
    widths: list[str] = field(default_factory=list)


def word_diff(before: str, after: str) -> dict:
    """A word-level diff cell: unchanged, removed and added runs of words."""
    a, b = (before or "").split(), (after or "").split()
    out: list[list[str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(["=", " ".join(a[i1:i2])])
            continue
        if i2 > i1:
            out.append(["-", " ".join(a[i1:i2])])
        if j2 > j1:
            out.append(["+", " ".join(b[j1:j2])])
    return {"diff": out}


def render_data_table(t: DataTable, index: int) -> str:
    tid = t.id or f"dt{index}"
    data = json.dumps({"rows": t.rows, "page": t.page_size}, ensure_ascii=False, default=str)
    # a program's text must not end the script element ("</script>") nor hide its end from the HTML
    # parser ("<!--<script>" makes the real "</script>" after it no end tag: the rest of the page becomes
    # this element's text, every row unseen); in JSON "<" is only ever inside a string, where \u003c is it
    data = data.replace("<", "\\u003c")
    head = "".join(f"<th>{html.escape(c)}</th>" for c in t.columns)
    note = f"<p class='muted'>{html.escape(t.note)}</p>" if t.note else ""
    cols = ("<colgroup>" + "".join(f"<col style='width:{html.escape(w)}'>" for w in t.widths) + "</colgroup>"
            if t.widths else "")
    return (f"<h2>{html.escape(t.title)}</h2>{note}<div class='dt' id='{tid}'>"
            f"<div class='dt-bar'><input type='search' placeholder='search {len(t.rows)} rows' aria-label='search'>"
            f"<button class='prev'>&larr;</button><button class='next'>&rarr;</button><span class='count'></span>"
            f"</div><table>{cols}<thead><tr>{head}</tr></thead><tbody></tbody></table></div>"
            f"<script type='application/json' id='{tid}-data'>{data}</script>")
