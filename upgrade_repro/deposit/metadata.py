"""metadata.json of the deposit (docs/deposit.md, "metadata.json"): Zenodo's deposit metadata, with
DataCite's terms where Zenodo has none, from CITATION.cff: the creators (persons with their ORCID,
or organisations), the references as text, the related identifiers, the paper the deposit is a
supplement to (`isSupplementTo`) and the licences of the derived outputs (licences.py). Nothing is
invented: a field CITATION.cff does not give is left out.

The paper the deposit supplements is the reference of CITATION.cff whose `scope` is
SUPPLEMENT_SCOPE. With a DOI or URL it is a related identifier with the relation isSupplementTo;
always, it is a related item (DataCite's relatedItem: a related work described by its bibliographic
data, for one without an identifier) with that relation.
"""

import re

from upgrade_repro.deposit.licences import metadata_entries
from upgrade_repro.deposit.manifest import INCLUDED

# The `scope` of CITATION.cff's reference to the paper the deposit is a supplement to.
SUPPLEMENT_SCOPE = "the paper this workflow reproduces"
SUPPLEMENT = "isSupplementTo"
# CFF reference type -> (Zenodo/DataCite relation of the deposit to it, resource type)
RELATIONS = {
    "article": ("references", "publication-article"),
    "data": ("isDerivedFrom", "dataset"),
    "software": ("requires", "software"),
}
# CFF writes an ORCID as its URL; Zenodo's creators take the bare identifier.
ORCID_URL = "https://orcid.org/"
_ORCID = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def orcid_id(value) -> str:
    """The bare ORCID identifier (0000-0002-1825-0097) of an ORCID as CFF writes it (its URL)."""
    return str(value).strip().removeprefix(ORCID_URL).removeprefix("http://orcid.org/")


def orcid_valid(value) -> bool:
    """Whether `value` (bare or as a URL) is an ORCID with the right check digit (ISO 7064 MOD 11-2,
    as ORCID computes it): a mistyped digit would credit someone else."""
    identifier = orcid_id(value)
    if not _ORCID.fullmatch(identifier):
        return False
    digits = identifier.replace("-", "")
    total = 0
    for digit in digits[:-1]:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return digits[-1] == ("X" if check == 10 else str(check))


def is_person(author: dict) -> bool:
    """A CFF person (family-names or given-names), not an entity (name)."""
    return "name" not in author and bool(author.get("family-names") or author.get("given-names"))


def creator(author: dict) -> dict:
    """A CFF author as a Zenodo creator: name ("Family, Given"; a Chinese name family name first,
    without a separator: 杨彩虹), type (Personal, Organizational), family and given names of a
    person, affiliation, and the bare ORCID."""
    if not is_person(author):
        person = {"name": str(author.get("name", "")), "type": "Organizational"}
    else:
        family = " ".join(str(author[k]) for k in ("name-particle", "family-names") if author.get(k))
        given = str(author.get("given-names", ""))
        if _CJK.search(family + given):
            name = family + given
        else:
            name = ", ".join(p for p in (family, given, str(author.get("name-suffix", ""))) if p)
        person = {"name": name, "type": "Personal"}
        person.update({k: v for k, v in (("family_name", family), ("given_name", given)) if v})
    if author.get("affiliation"):
        person["affiliation"] = str(author["affiliation"])
    if author.get("orcid"):
        person["orcid"] = orcid_id(author["orcid"])
    return person


def persons(citation: dict) -> list[dict]:
    """The authors of CITATION.cff that are persons."""
    return [a for a in citation.get("authors") or [] if is_person(a)]


def supplemented_paper(citation: dict) -> dict | None:
    """The reference whose scope is SUPPLEMENT_SCOPE (the first, if several), or None."""
    return next((r for r in citation.get("references") or [] if r.get("scope") == SUPPLEMENT_SCOPE), None)


def pages(ref: dict) -> str:
    """'122–127' from start and end, else the reference's pages, else ''."""
    if ref.get("start") and ref.get("end"):
        return f"{ref['start']}–{ref['end']}"
    return str(ref.get("start") or ref.get("pages") or "")


def reference_text(ref: dict) -> str:
    """A reference as one line: authors. title. journal, year, volume(issue): pages. ISSN. doi (the
    order of GB/T 7714 and most journals; a part CITATION.cff does not give is left out)."""
    authors = "; ".join(creator(a)["name"] for a in ref.get("authors") or [])
    where = str(ref.get("year", ""))
    if ref.get("volume"):
        where += f", {ref['volume']}"
    if ref.get("issue"):
        where += f"({ref['issue']})"
    if pages(ref):
        where += f": {pages(ref)}"
    source = ", ".join(p for p in (str(ref.get("journal", "")), where.strip(", ")) if p)
    parts = [authors, str(ref.get("title", "")), source]
    if ref.get("issn"):
        parts.append(f"ISSN {ref['issn']}")
    if ref.get("doi"):
        parts.append(f"doi:{ref['doi']}")
    parts = [p for p in parts if p]
    # parts joined by '. ', without doubling a full stop that ends a part (an initial: "Robert J.")
    return "".join(p + ("" if i == len(parts) - 1 else " " if p.endswith(".") else ". ") for i, p in enumerate(parts))


def _identifiers(ref: dict) -> list[tuple[str, str]]:
    return [
        (str(ref[k]), scheme)
        for k, scheme in (("doi", "doi"), ("url", "url"), ("repository-code", "url"))
        if ref.get(k)
    ]


def related_identifiers(citation: dict) -> list[dict]:
    """Each reference's DOI, URL or code repository with the relation of the deposit to it
    (isSupplementTo for the paper it supplements, RELATIONS by type otherwise), then the work's own
    (isIdenticalTo)."""
    paper = supplemented_paper(citation)
    related = []
    for ref in citation.get("references") or []:
        relation, resource = RELATIONS.get(ref.get("type"), ("references", "other"))
        if ref is paper:
            relation = SUPPLEMENT
        for identifier, scheme in _identifiers(ref):
            related.append(
                {"identifier": identifier, "scheme": scheme, "relation": relation, "resource_type": resource}
            )
    for key, scheme in (("doi", "doi"), ("repository-code", "url"), ("url", "url")):
        if citation.get(key):
            related.append({"identifier": str(citation[key]), "scheme": scheme, "relation": "isIdenticalTo"})
    return related


def related_items(citation: dict) -> list[dict]:
    """The paper the deposit supplements, described by its bibliographic data (DataCite's
    relatedItem, snake_case as the rest of the file): relation, resource type, title, creators,
    journal, ISSN, year, volume, issue, first and last page, language, notes, identifiers; [] when
    CITATION.cff marks no such paper."""
    paper = supplemented_paper(citation)
    if paper is None:
        return []
    item = {
        "relation": SUPPLEMENT,
        "resource_type": RELATIONS.get(paper.get("type"), ("", "other"))[1],
        "title": str(paper.get("title", "")),
        "creators": [creator(a) for a in paper.get("authors") or []],
    }
    fields = (
        ("journal", "journal"),
        ("issn", "issn"),
        ("year", "publication_year"),
        ("volume", "volume"),
        ("issue", "issue"),
        ("start", "first_page"),
        ("end", "last_page"),
        ("notes", "notes"),
    )
    item.update({target: str(paper[key]) for key, target in fields if paper.get(key) not in (None, "")})
    if paper.get("languages"):
        item["languages"] = list(paper["languages"])
    if _identifiers(paper):
        item["identifiers"] = [{"identifier": i, "scheme": s} for i, s in _identifiers(paper)]
    return [item]


def deposit_metadata(citation: dict, name: str, version: str, members, derived=()) -> dict:
    """metadata.json in the style of Zenodo's deposit metadata and DataCite: title, creators,
    version, licence, description, keywords, related identifiers, related items (the paper the
    deposit supplements), the references as text, all from CITATION.cff; the licences of the derived
    outputs (licences.derived_outputs); the deposit's name, the date of release only when
    CITATION.cff gives one, and the files left out as licensed."""
    meta = {
        "name": name,
        "upload_type": "software",
        "resource_type": "software",
        "title": citation["title"],
        "creators": [creator(a) for a in citation.get("authors") or []],
        "version": version,
        "license": {"id": citation.get("license", "")},
        "description": " ".join(str(citation.get("abstract", "")).split()),
        "keywords": list(citation.get("keywords", [])),
        "related_identifiers": related_identifiers(citation),
        "related_items": related_items(citation),
        "references": [reference_text(r) for r in citation.get("references") or []],
        "derived_outputs": metadata_entries(list(derived)),
        "not_included": [
            {"path": m["path"], "reason": m["status"], "sha256": m["sha256"]}
            for m in members
            if m["status"] != INCLUDED
        ],
    }
    if citation.get("date-released"):
        meta["publication_date"] = str(citation["date-released"])
    return meta
