"""metadata.json from CITATION.cff (upgrade_repro/deposit/metadata.py) and the data editor's checks
of the citation (checks.py citation_authors, paper_reference): creators with and without persons,
ORCIDs (bare in the metadata, check digit checked), the warn row while no person is named, the paper
the deposit supplements (issue, pages, isSupplementTo) with and without a DOI."""

import copy

import yaml
from conftest import ROOT

from upgrade_repro.deposit.checks import (
    check_citation_authors,
    check_paper_reference,
    deposit_checks,
    require_checks_pass,
    warnings_of,
)
from upgrade_repro.deposit.metadata import (
    SUPPLEMENT_SCOPE,
    creator,
    deposit_metadata,
    orcid_valid,
    reference_text,
)

# ORCID's own examples of valid identifiers (the last with the check character X), and one digit off.
VALID_ORCIDS = ("0000-0002-1825-0097", "0000-0001-5109-3700", "0000-0002-1694-233X")


def repository_citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def with_persons(citation: dict) -> dict:
    citation = copy.deepcopy(citation)
    citation["authors"] = [
        {
            "family-names": "Carberry",
            "given-names": "Josiah",
            "orcid": f"https://orcid.org/{VALID_ORCIDS[0]}",
            "affiliation": "Brown University",
        },
        {"family-names": "杨", "given-names": "彩虹"},
        {"family-names": "Rossum", "name-particle": "van", "given-names": "Guido", "name-suffix": "Jr."},
        *citation["authors"],
    ]
    return citation


def rows_of(rows, check):
    return [(r["status"], r["detail"]) for r in rows if r["check"] == check]


def test_orcid_check_digit():
    assert all(orcid_valid(o) for o in VALID_ORCIDS)
    assert orcid_valid(f"https://orcid.org/{VALID_ORCIDS[2]}")
    # one digit changed, the check character changed, a malformed identifier
    assert not orcid_valid("0000-0002-1825-0098")
    assert not orcid_valid("0000-0002-1694-2330")
    assert not orcid_valid("https://orcid.org/0000-0002-1825")
    assert not orcid_valid("0000000218250097")


def test_the_repository_names_no_person_the_organisation_is_the_creator_and_the_check_warns():
    citation = repository_citation()
    meta = deposit_metadata(citation, "upgrade-repro", "0.1.0", [])
    assert meta["creators"] == [{"name": "The upgrade-repro contributors", "type": "Organizational"}]
    ((status, detail),) = rows_of(check_citation_authors(citation), "citation_authors")
    assert status == "warn"
    assert "names no person" in detail and "The upgrade-repro contributors" in detail
    assert "docs/deposit.md" in detail


def test_persons_become_creators_with_their_orcid_and_the_check_passes():
    citation = with_persons(repository_citation())
    meta = deposit_metadata(citation, "upgrade-repro", "0.1.0", [])
    assert meta["creators"] == [
        {
            "name": "Carberry, Josiah",
            "type": "Personal",
            "family_name": "Carberry",
            "given_name": "Josiah",
            "affiliation": "Brown University",
            "orcid": VALID_ORCIDS[0],  # Zenodo's creators take the bare identifier
        },
        {"name": "杨彩虹", "type": "Personal", "family_name": "杨", "given_name": "彩虹"},
        {"name": "van Rossum, Guido, Jr.", "type": "Personal", "family_name": "van Rossum", "given_name": "Guido"},
        {"name": "The upgrade-repro contributors", "type": "Organizational"},
    ]
    ((status, detail),) = rows_of(check_citation_authors(citation), "citation_authors")
    assert status == "pass"
    assert detail.startswith("3 person(s): Carberry, Josiah (ORCID 0000-0002-1825-0097); 杨彩虹; van Rossum")
    assert detail.endswith("and The upgrade-repro contributors")


def test_a_mistyped_orcid_fails_naming_the_author():
    citation = with_persons(repository_citation())
    citation["authors"][0]["orcid"] = "https://orcid.org/0000-0002-1825-0098"
    rows = check_citation_authors(citation)
    assert [r["status"] for r in rows] == ["fail"]
    assert "Carberry, Josiah" in rows[0]["detail"] and "0000-0002-1825-0098" in rows[0]["detail"]


def test_the_paper_gets_issue_pages_and_is_supplement_to_without_an_invented_doi():
    citation = repository_citation()
    meta = deposit_metadata(citation, "upgrade-repro", "0.1.0", [])
    (paper,) = meta["related_items"]
    assert paper["relation"] == "isSupplementTo" and paper["resource_type"] == "publication-article"
    assert paper["title"] == "数字经济下产业结构升级的内涵、困境与路径"
    assert (paper["journal"], paper["publication_year"], paper["issue"]) == ("科技和产业", "2025", "4")
    assert (paper["first_page"], paper["last_page"], paper["issn"]) == ("122", "127", "1671-1807")
    assert paper["creators"][0]["name"] == "杨彩虹"
    assert "identifiers" not in paper  # no DOI or URL is known: none is made up
    assert not any(r["relation"] == "isSupplementTo" for r in meta["related_identifiers"])
    assert meta["references"][0] == (
        "杨彩虹. 数字经济下产业结构升级的内涵、困境与路径. 科技和产业, 2025(4): 122–127. ISSN 1671-1807"
    )
    ((status, detail),) = rows_of(check_paper_reference(citation), "paper_reference")
    assert status == "warn" and detail.startswith("no DOI or URL")


def test_a_doi_makes_the_paper_a_related_identifier_and_the_reference_check_pass():
    citation = repository_citation()
    paper = next(r for r in citation["references"] if r.get("scope") == SUPPLEMENT_SCOPE)
    paper["doi"] = "10.1234/example.5678"  # a made-up DOI, in this test only
    meta = deposit_metadata(citation, "upgrade-repro", "0.1.0", [])
    assert {
        "identifier": "10.1234/example.5678",
        "scheme": "doi",
        "relation": "isSupplementTo",
        "resource_type": "publication-article",
    } in meta["related_identifiers"]
    assert meta["related_items"][0]["identifiers"] == [{"identifier": "10.1234/example.5678", "scheme": "doi"}]
    assert meta["references"][0].endswith("ISSN 1671-1807. doi:10.1234/example.5678")
    # the other references keep their relation
    related = {(r["identifier"], r["relation"]) for r in meta["related_identifiers"]}
    assert ("https://github.com/cudavailable/Data_Visualization", "isDerivedFrom") in related
    assert [r["status"] for r in check_paper_reference(citation)] == ["pass"]


def test_a_paper_without_issue_or_pages_or_without_the_scope_warns():
    citation = repository_citation()
    paper = next(r for r in citation["references"] if r.get("scope") == SUPPLEMENT_SCOPE)
    paper.pop("issue"), paper.pop("start"), paper.pop("end")
    ((status, detail),) = rows_of(check_paper_reference(citation), "paper_reference")
    assert status == "warn" and detail.startswith("missing issue, pages")
    paper.pop("scope")
    ((status, detail),) = rows_of(check_paper_reference(citation), "paper_reference")
    assert status == "warn" and f"no reference has scope '{SUPPLEMENT_SCOPE}'" in detail
    assert deposit_metadata(citation, "x", "1", [])["related_items"] == []


def test_reference_text_of_an_article_with_a_volume():
    ref = {
        "type": "article",
        "title": "Convergence",
        "authors": [{"family-names": "Barro", "given-names": "Robert J."}],
        "journal": "Journal of Political Economy",
        "year": 1992,
        "volume": 100,
        "issue": 2,
        "start": 223,
        "end": 251,
    }
    assert reference_text(ref) == "Barro, Robert J. Convergence. Journal of Political Economy, 1992, 100(2): 223–251"
    assert creator({"name": "NBS", "affiliation": "Beijing"}) == {
        "name": "NBS",
        "type": "Organizational",
        "affiliation": "Beijing",
    }


def test_a_warning_is_a_row_that_does_not_stop_the_deposit(tmp_path):
    (tmp_path / "README.md").write_text("# x\n", encoding="utf-8")
    readme = {"path": "README.md", "role": "documentation", "bytes": 4, "sha256": "0" * 64, "status": "included"}
    checks = deposit_checks(tmp_path, [readme], "# x\n", "", citation=repository_citation())
    warned = checks[checks["status"] == "warn"]
    assert list(warned["check"]) == ["citation_authors", "paper_reference"]
    require_checks_pass(checks, "results/deposit/checks.csv")  # no error: a warning is not a failure
    lines = warnings_of(checks)
    assert len(lines) == 2 and lines[0].startswith("citation_authors: CITATION.cff: names no person")
