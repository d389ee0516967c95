"""Build the bundled starter catalogue from the researched portal extract.

    python resources/catalogue/build_catalogue.py ../shared/data/commune-procedures.json \
        resources/catalogue/commune-procedures.json

What it does to each procedure of the source (90 commune-level procedures from the national
public-service portal's published pages):
- cleans document names (list markers, trailing punctuation, doubled spaces, NFC) and merges
  duplicates;
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

PAGE_FEE_PROCEDURES = {"2.000815", "2.000942"}  # per page of the original, TT 226/2016/TT-BTC
_LEADING = re.compile(r"^\s*(?:[-+*•–]\s*|\(?\d{1,2}[.)]\s+|[a-zđ]\)\s+)+", re.IGNORECASE)


def clean_document_name(name: str) -> str:
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r"\s+", " ", name).strip()
    name = _LEADING.sub("", name)
    name = name.rstrip(" ;,:.").strip()
    return name[:1].upper() + name[1:]


def convert(proc: dict) -> dict:
    docs, seen = [], set()
    for d in proc.get("documents", []):
        name = clean_document_name(d["name"])
        if not name or name.casefold() in seen:
            continue
        seen.add(name.casefold())
        docs.append({"name": name, "kind": d.get("kind", "original"), "count": int(d.get("count") or 1)})
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
        "documents": docs,
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


def main(src: str, dst: str) -> None:
    data = json.load(open(src, encoding="utf-8"))
    procedures = [convert(p) for p in data["procedures"]]
    doc = {
        "_comment": ("Starter catalogue built by build_catalogue.py from the national public-service "
                     "portal's published pages (see each procedure's source and confidence). Fees set by "
                     "the provincial council and each province's online level are listed in 'unsettled': "
                     "check and correct them for your province, then re-import."),
        "procedures": procedures,
    }
    with open(dst, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
