"""Build the bundled starter catalogue from the researched portal extract.

    python resources/catalogue/build_catalogue.py ../shared/data/commune-procedures.json \
        resources/catalogue/commune-procedures.json

What it does to each procedure of the source (90 commune-level procedures from the national
public-service portal's published pages):
- turns the portal's document sentences into the documents a citizen submits, with the reviewed
  corrections of ``document_fixes.py``: full names (the source cuts long ones), headings and notes
  dropped, each document marked required, one of alternatives (``group``) or for a named case
  (``case``); required documents come first, then alternatives, then the cases;
- cleans names (list markers, trailing punctuation, doubled spaces, glued words, NFC) and merges
  duplicates; refuses to write a name that still ends mid-sentence;
- keeps ``source``, ``confidence``, ``fee_note`` and ``legal_basis`` as provenance;
- marks what the source does not settle in ``unsettled`` (fees the provincial council sets, the
  province's online level, a missing time limit) so the office knows what to check and correct;
- gives the certified-copy procedures their page-based fee rule instead of a flat fee.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from document_fixes import FIXES, RULES  # noqa: E402

PAGE_FEE_PROCEDURES = {"2.000815", "2.000942"}  # per page of the original, TT 226/2016/TT-BTC
MAX_COUNT = 10  # more is a number of the source glued to the count ("Mẫu số 18" + "1" → 181)
_LEADING = re.compile(r"^\s*(?:[-+*•–]\s*|\(?\d{1,2}[.)]\s+|[a-zđ]\)\s+)+", re.IGNORECASE)
_HEADINGS = re.compile(r"^(?:Giấy tờ phải nộp|Thành phần hồ sơ|Người yêu cầu chứng thực nộp 01 \(một\) bộ hồ sơ "
                       r"yêu cầu chứng thực, gồm các giấy tờ sau đây):\s*")
_GLUED_TAIL = re.compile(r"(?:\.?1\.Mu[A-Za-z0-9]+|(?<=\S)Giấy đề)$")  # the next item's first word ran in
_TYPOS = {"đăng ký đăng ký": "đăng ký", "yêu cầu yêu cầu": "yêu cầu", "Giấy Chứng sinh": "Giấy chứng sinh",
          "(mẫu CT01": "(Mẫu CT01", "Nghị số": "Nghị định số"}
DANGLING = ("số", "theo", "của", "và", "hoặc", "tại", "về", "cho", "với", "các", "những", "trong", "được", "là",
            "thì", "bằng", "từ", "do", "gồm", "như", "để", "mà", "nếu", "trừ", "kèm", "Điều", "khoản", "điểm")
REQUIRED, ALTERNATIVE, CASE = 0, 1, 2


def clean_document_name(name: str) -> str:
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r"\s+", " ", name).strip()
    name = _HEADINGS.sub("", name)
    name = _LEADING.sub("", name)
    for wrong, right in _TYPOS.items():
        name = name.replace(wrong, right)
    name = re.sub(r",(?=[^\W\d_])", ", ", name)
    name = _GLUED_TAIL.sub("", name)
    name = name.rstrip(" ;,:.").strip()
    if name.count("(") > name.count(")"):
        name += ")"
    return name[:1].upper() + name[1:]


def name_problem(name: str) -> str | None:
    """Why a document name still reads as cut mid-sentence, or None."""
    if name.endswith(("…", "...", ",", ";", ":", "-", "+", "/", "(")):
        return "ends with punctuation"
    last = name.rsplit(" ", 1)[-1]
    if last in DANGLING:
        return f"ends with «{last}»"
    if name.count("(") != name.count(")") or name.count('"') % 2 or name.count("“") != name.count("”"):
        return "unbalanced parentheses or quotes"
    if any(a.islower() and b.isupper() and c.islower() for a, b, c in zip(name, name[1:], name[2:])):
        return "two words glued together"
    return None


def _ruled(name: str) -> object:
    for pattern, make in RULES:
        m = pattern.search(name)
        if m:
            return make(m)
    return {"name": name}


def convert_documents(proc: dict) -> list[dict]:
    fixes = FIXES.get(proc["code"], {})
    assert all(0 <= i < len(proc.get("documents", [])) for i in fixes), f"{proc['code']}: fix for a missing item"
    docs: list[dict] = []
    for i, source in enumerate(proc.get("documents", [])):
        spec = fixes[i] if i in fixes else _ruled(clean_document_name(source["name"]))
        if spec is None:
            continue
        for d in spec if isinstance(spec, list) else [spec]:
            doc = {"name": d["name"], "kind": d.get("kind", source.get("kind", "original")),
                   "count": d.get("count", int(source.get("count") or 1))}
            doc.update({k: d[k] for k in ("group", "case") if d.get(k)})
            docs.append(doc)
    return _ordered(_merged(proc["code"], docs))


def _merged(code: str, docs: list[dict]) -> list[dict]:
    out: dict[str, dict] = {}
    for d in docs:
        key = d["name"].casefold()
        if key in out:
            assert out[key] == d, f"{code}: «{d['name']}» twice, differently"
            continue
        problem = name_problem(d["name"])
        assert problem is None, f"{code}: «{d['name']}» {problem}"
        assert 1 <= d["count"] <= MAX_COUNT, f"{code}: «{d['name']}» count {d['count']}"
        out[key] = d
    return list(out.values())


def _ordered(docs: list[dict]) -> list[dict]:
    """Required documents first, then alternatives, then cases; a group or a case stays together."""
    first: dict[str, int] = {}
    for i, d in enumerate(docs):
        first.setdefault(d.get("group") or d.get("case") or f"#{i}", i)

    def key(item):
        i, d = item
        kind = CASE if d.get("case") else ALTERNATIVE if d.get("group") else REQUIRED
        return kind, first[d.get("group") or d.get("case") or f"#{i}"], i

    return [d for _, d in sorted(enumerate(docs), key=key)]


def convert(proc: dict) -> dict:
    note = re.sub(r"\s+", " ", proc.get("fee_note") or "").strip()
    unsettled = ["online_level"]  # the portal does not publish each province's level
    if re.search(r"Hội đồng nhân dân|HĐND", note):
        unsettled.append("fee_vnd")
    if proc.get("working_days") is None:
        unsettled.append("working_days")
    out = {
        "code": proc["code"],
        "name": unicodedata.normalize("NFC", re.sub(r"\s+", " ", proc["name"]).strip()),
        "field": proc["field"],
        "working_days": proc["working_days"],
        "fee_vnd": proc["fee_vnd"],
        "online_level": proc["online_level"],
        "location_independent": proc["location_independent"],
        "documents": convert_documents(proc),
        "postal_allowed": True,
        "max_extension_days": 2 if proc["code"] in PAGE_FEE_PROCEDURES | {"2.000884"} else 0,
        "fee_rule": "fixed",
        "active": True,
    }
    if proc["code"] in PAGE_FEE_PROCEDURES:
        out["fee_rule"] = "certified_copy_pages"
        out["fee_vnd"] = 0
    out.update(
        source=proc.get("source"),
        confidence=proc.get("confidence"),
        fee_note=note,
        legal_basis=proc.get("legal_basis"),
        unsettled=unsettled,
    )
    return out


def build(data: dict) -> dict:
    unknown = set(FIXES) - {p["code"] for p in data["procedures"]}
    assert not unknown, f"fixes for procedures not in the source: {sorted(unknown)}"
    return {
        "_comment": ("Starter catalogue built by build_catalogue.py from the national public-service "
                     "portal's published pages (see each procedure's source and confidence). Fees set by "
                     "the provincial council and each province's online level are listed in 'unsettled': "
                     "check and correct them for your province, then re-import. A document with 'group' "
                     "is one of alternatives (the citizen submits one of the group); one with 'case' is "
                     "needed only in that case; the others are required."),
        "procedures": [convert(p) for p in data["procedures"]],
    }


def main(src: str, dst: str) -> None:
    doc = build(json.loads(Path(src).read_text(encoding="utf-8")))
    with open(dst, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
