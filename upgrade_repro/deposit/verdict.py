"""The verdict of a verification and the class of its rerun (docs/verification.md, "Verdict").

`verified` only when every file matches the manifest (manifest.py), the code is the verifying
release's (or, with --accept-modified-code, is accepted and named), the rerun was made and every
output matches (compare.py). The class says how far the rerun reproduced the deposit, in the data
editors' words: reproduced, minor discrepancies, partially reproduced, not reproduced. The paper's
numbers are separate information (paper.py), never part of either.
"""

from upgrade_repro.deposit.compare import MATCHES, STATUSES
from upgrade_repro.deposit.manifest import HASH_OK, HASH_STATUSES, LICENSED

CLASSES = ("reproduced", "minor discrepancies", "partially reproduced", "not reproduced")
CODE_STATUSES = ("identical", "modified", "not in the release", "not in the deposit", "runs code")


def reproduction_class(rows: list[dict], rerun_made: bool, minor: set[str]) -> str:
    """reproduced: every output matches; minor discrepancies: the others differ only in numbers
    within one unit of their last printed digit (`minor`: their paths); partially reproduced: some
    match, some do not; not reproduced: none matches, or no rerun was made."""
    if not rerun_made or not rows:
        return "not reproduced"
    unmatched = [r for r in rows if r["status"] not in MATCHES]
    if not unmatched:
        return "reproduced"
    if all(r["path"] in minor for r in unmatched):
        return "minor discrepancies"
    return "partially reproduced" if len(unmatched) < len(rows) else "not reproduced"


def verification_summary(
    rows: list[dict],
    hash_rows: list[dict],
    code_rows: list[dict] = (),
    *,
    rerun_made: bool = True,
    accepted: bool = False,
    minor: set[str] = frozenset(),
    not_run: str | None = None,
    parse_errors=(),
) -> dict:
    """Counts of the outputs by status, of the manifest's rows by status and of the code files, the
    problems, the class and the verdict (module docstring). `not_run` names why no rerun was made
    (a key of the texts' `not_run` section); `parse_errors`, why a workflow could not be parsed."""
    unknown = sorted({r["status"] for r in rows} - set(STATUSES)) + sorted(
        {r["status"] for r in hash_rows} - set(HASH_STATUSES)
    )
    if unknown:
        raise ValueError(f"unknown status(es) {unknown}")
    by_status = {s: sum(r["status"] == s for r in rows) for s in STATUSES}
    by_hash = {s: sum(r["status"] == s for r in hash_rows) for s in HASH_STATUSES}
    output_problems = [r for r in rows if r["status"] not in MATCHES]
    hash_problems = [r for r in hash_rows if r["status"] not in HASH_OK]
    modified = [r for r in code_rows if r["status"] != "identical"]
    klass = reproduction_class(rows, rerun_made, set(minor))
    verified = rerun_made and bool(rows) and not output_problems and not hash_problems and (not modified or accepted)
    if verified:
        verdict = "verified, modified code accepted" if modified else "verified"
    elif modified and not accepted:
        verdict = "not verified: modified code"
    else:
        verdict = "not verified"
    return {
        "verdict": verdict,
        "verified": verified,
        "class": klass,
        "rerun_made": rerun_made,
        "not_run": not_run,
        "n_outputs": len(rows),
        "n_match": len(rows) - len(output_problems),
        "outputs": by_status,
        "n_files": len(hash_rows),
        "hashes": by_hash,
        "output_problems": output_problems,
        "hash_problems": hash_problems,
        "licensed": [r for r in hash_rows if r["status"] == LICENSED],
        "n_code": len(code_rows),
        "modified_code": modified,
        "accepted_modified_code": bool(modified) and accepted,
        "parse_errors": list(parse_errors),
    }
