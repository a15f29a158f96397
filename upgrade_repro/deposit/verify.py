"""Verifying a deposit that came from someone else (docs/verification.md): the verifier trusts
nothing in the zip. In order:

1. refuse what cannot be opened safely (unpack.py: not a zip, a corrupted or truncated member,
   duplicate names, names outside the folder, a limit exceeded): exit code 2, nothing run, nothing
   left unpacked;
2. check every member against MANIFEST.csv and the manifest against the members (manifest.py);
3. compare the deposit's code files with the verifying release's (release.py): modified code is
   run only with --accept-modified-code, and named first in the report;
4. decide what the outputs are from the verifying release's own workflow, parsed in the sandbox on
   the deposit's configuration, with the deposit's own (parse.py), never from MANIFEST.csv's roles;
5. rerun the deposit's workflow in the sandbox (sandbox.py) on a linked copy without its outputs,
   and, when its code differs from the release's, the release's workflow on the same data;
6. compare every output (compare.py), set the paper's numbers beside them (paper.py), give the
   verdict and the class (verdict.py) and write the report (report.py).

The rerun is made only when every file matches the manifest and the code is the release's (or is
accepted): a deposit that is not what its manifest says is not run.
"""

import contextlib
import json
import logging
import shutil
import sys
from pathlib import Path, PurePosixPath

from upgrade_repro.deposit.unpack import read_small, yaml_size_ok
from upgrade_repro.errors import DepositArchiveError, DepositNotVerifiedError

logger = logging.getLogger(__name__)

WORK = "unpacked"
# A member whose path starts here is an output (build.role_of); the rerun copy leaves them all out.
RESULTS = "results/"
KEEP_IN_RERUN = ("results/README.md",)
PARSE_SCRIPT = Path(__file__).resolve().parent / "parse.py"


def _posix(path) -> str:
    return Path(path).as_posix()


def deposited_config(folder) -> dict:
    """The deposit's config.yaml as a mapping ({} when absent, too large, not YAML, not a mapping,
    or too large a graph)."""
    import yaml

    try:
        text = read_small(Path(folder, "config.yaml"))
        config = yaml.safe_load(text) if yaml_size_ok(text) else None
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError):
        return {}
    return config if isinstance(config, dict) else {}


def code_rows(members: dict, deposited: Path, release_files: dict) -> list[dict]:
    """Each code file (release.is_code) of the deposit or of the release: identical (byte for byte),
    modified, not in the release, not in the deposit; and config.yaml when it is a YTE template
    (Snakemake runs the Python expressions in it): runs code."""
    from upgrade_repro.config_checks import yte_config_files
    from upgrade_repro.deposit.findings import phrase, result
    from upgrade_repro.deposit.release import is_code
    from upgrade_repro.registry import sha256

    rows = []
    for path in sorted({p for p in members if is_code(p)} | set(release_files)):
        if path not in members:
            rows.append(result(path, "not in the deposit"))
        elif path not in release_files:
            rows.append(result(path, "not in the release"))
        else:
            same = members[path]["sha256"] == sha256(release_files[path])
            rows.append(result(path, "identical" if same else "modified"))
    config, text = deposited / "config.yaml", ""
    if "config.yaml" in members:
        try:
            text = read_small(config)
            yte = yaml_size_ok(text) and bool(yte_config_files([config]))
        except (OSError, UnicodeDecodeError, ValueError):
            yte = True  # unreadable as a configuration: Snakemake may still run it
        if yte or not yaml_size_ok(text):
            rows.append(result("config.yaml", "runs code", [phrase("yte")]))
    return rows


def run_parse(snakefile, workdir, scratch, name: str, *, sandbox: bool, hidden) -> dict:
    """parse.py on the workflow `snakefile` in `workdir`, sandboxed (writable: `workdir` and
    `scratch`); its result, or {'error': the end of its output}."""
    from upgrade_repro.deposit.sandbox import run

    # absolute: the script runs in `workdir`, where a relative path (the Snakemake rule's) is not
    snakefile, workdir, scratch = (Path(p).resolve() for p in (snakefile, workdir, scratch))
    scratch.mkdir(parents=True, exist_ok=True)
    result_file = scratch / f"{name}.json"
    result_file.unlink(missing_ok=True)
    log_path = scratch / f"{name}.log"
    with open(log_path, "w", encoding="utf-8") as log:
        proc = run(
            [sys.executable, str(PARSE_SCRIPT), str(snakefile), str(workdir), str(result_file)],
            cwd=workdir,
            sandbox=sandbox,
            writable=[workdir, scratch],
            hidden=hidden,
            readable=[Path(snakefile).parent],
            log=log,
        )
    tail = log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:] or [""]
    if proc.returncode != 0 or not result_file.is_file():
        return {"error": tail[0][:300]}
    try:
        found = json.loads(result_file.read_text(encoding="utf-8"))
        outputs = [str(o) for o in found["outputs"]]
        figures = {str(k): [str(x) for x in v] for k, v in dict(found["figures"]).items()}
    except (ValueError, KeyError, TypeError) as error:
        return {"error": f"unreadable result: {error}"[:300]}
    return {"outputs": outputs, "figures": figures}


def outputs_to_compare(parsed: list[dict], members: dict) -> list[str]:
    """The outputs of the verification: the union of the parsed workflows' default-target outputs
    (run history left out) and the members that are outputs by the verifier's own rule (build.role_of:
    under results/); MANIFEST.csv's roles play no part."""
    from upgrade_repro.deposit.build import is_run_history, role_of

    found = {p for side in parsed for p in side.get("outputs", [])}
    found |= {p for p in members if role_of(p) == "output"}
    return sorted(p for p in found if not is_run_history(p))


def figure_data(parsed: list[dict]) -> dict[str, list[str]]:
    """Figure -> its data: the release's parse first (the deposit's only for figures the release does
    not make)."""
    merged: dict[str, list[str]] = {}
    for side in reversed(parsed):
        merged.update(side.get("figures", {}))
    return merged


def rerun_command(cores: int, targets=()) -> list[str]:
    """Snakemake in a fresh interpreter of this Python: the folder's Snakefile, no workflow profile
    (a deposit's profiles/ could change the command), the given targets (none: the default)."""
    return [
        sys.executable,
        "-m",
        "snakemake",
        "--cores",
        str(cores),
        "--snakefile",
        "Snakefile",
        "--workflow-profile",
        "none",
        *targets,
    ]


def run_workflow(folder, cores: int, log_path, *, sandbox: bool, hidden, targets=()) -> dict:
    """rerun_command in `folder`, sandboxed with `folder` its only writable place; its output in
    `log_path`. Returns {command, exit_code, log}."""
    from upgrade_repro.deposit.sandbox import run

    Path(log_path).parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w", encoding="utf-8") as log:
        proc = run(
            rerun_command(cores, targets), cwd=folder, sandbox=sandbox, writable=[folder], hidden=hidden, log=log
        )
    shown = " ".join(["snakemake", "--cores", str(cores), *targets])
    return {"command": shown, "exit_code": proc.returncode, "log": _posix(log_path)}


def release_run_folder(deposited: Path, members: dict, folder: Path, release_files: dict) -> Path:
    """A folder with the deposit's data and configuration (no outputs, no code) and the verifying
    release's code, copied (never linked: the run must not reach the release's own files)."""
    from upgrade_repro.deposit.release import is_code
    from upgrade_repro.deposit.unpack import link_tree

    data = [p for p in members if not p.startswith(RESULTS) and not is_code(p) or p in KEEP_IN_RERUN]
    link_tree(deposited, folder, data)
    for rel, source in release_files.items():
        target = folder.joinpath(*PurePosixPath(rel).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    return folder


def _identity(deposited: Path) -> dict:
    identity = {"name": deposited.name, "version": ""}
    try:
        described = json.loads(read_small(deposited / "metadata.json"))
        identity = {"name": str(described.get("name", deposited.name)), "version": str(described.get("version", ""))}
    except Exception:  # noqa: BLE001 - absent, unreadable or not an object: the folder's name
        pass
    return identity


def report_language(language: str | None, deposited: Path) -> str:
    """The report's language: the one given, else the deposited report's (config report.language),
    else zh; a language the texts do not have gives en."""
    from upgrade_repro.texts import LANGUAGES

    if language is None:
        language = (deposited_config(deposited).get("report") or {}).get("language", "zh")
    return language if language in LANGUAGES else "en"


def verify(
    zip_path,
    out_dir,
    *,
    cores: int,
    language: str | None = None,
    limits: dict | None = None,
    accept_modified_code: bool = False,
    sandbox: bool = True,
) -> dict:
    """The whole verification of the deposit `zip_path` into `out_dir` (module docstring): the
    report out_dir/verification.{csv,json,md,html}, the work folder out_dir/unpacked/ (deposit/,
    rerun/, release/, parse/; made afresh). DepositArchiveError for a refused zip (nothing written
    then). Returns the summary (verdict.verification_summary)."""
    from upgrade_repro.deposit import sandbox as box
    from upgrade_repro.deposit.build import role_of
    from upgrade_repro.deposit.compare import MATCHES, compare_output, within_last_digit
    from upgrade_repro.deposit.findings import phrase, result
    from upgrade_repro.deposit.manifest import MANIFEST, check_manifest, read_manifest
    from upgrade_repro.deposit.paper import paper_comparison
    from upgrade_repro.deposit.release import release_code_files, release_root
    from upgrade_repro.deposit.report import write_reports
    from upgrade_repro.deposit.unpack import check_limits, is_plain_file, link_tree, unpack
    from upgrade_repro.deposit.verdict import verification_summary
    from upgrade_repro.provenance import project_path
    from upgrade_repro.registry import sha256

    out_dir, limits = Path(out_dir), check_limits(limits or {})
    work = out_dir / WORK
    created = [p for p in (out_dir, *out_dir.parents) if not p.exists()]
    try:
        deposited, members = unpack(zip_path, work / "deposit", limits)
        try:
            manifest_rows = read_manifest(read_small(deposited / MANIFEST))
        except UnicodeDecodeError:
            raise DepositArchiveError(f"{MANIFEST} is not UTF-8 text") from None
        except ValueError as error:
            raise DepositArchiveError(str(error)) from None
    except DepositArchiveError as error:  # refused: nothing of it stays, not even the folders made for it
        shutil.rmtree(work, ignore_errors=True)
        for folder in created:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise DepositArchiveError(
            str(error).removeprefix(f"{Path(zip_path).name}: "), file=Path(zip_path).name
        ) from None
    members.pop(MANIFEST, None)
    hash_rows = check_manifest(manifest_rows, members, role_of)
    release_files = release_code_files()
    code = code_rows(members, deposited, release_files)
    modified = [r for r in code if r["status"] != "identical"]
    language = report_language(language, deposited)
    state = box.mode(sandbox)
    hash_ok = all(r["status"] in ("ok", "licensed, not redistributable") for r in hash_rows)
    not_run = None if hash_ok else "manifest"
    if hash_ok and modified and not accept_modified_code:
        not_run = "modified_code"
    rerun = work / "rerun" / deposited.name
    rows, parsed, run, minor, paper, release_run = [], [], None, set(), None, None
    if not_run is None:
        hidden = [out_dir]
        link_tree(deposited, rerun, [p for p in members if not p.startswith(RESULTS) or p in KEEP_IN_RERUN])
        scratch = work / "parse"
        parsed.append(
            run_parse(release_root() / "Snakefile", rerun, scratch, "release", sandbox=sandbox, hidden=hidden)
        )
        if modified:
            parsed.append(run_parse(rerun / "Snakefile", rerun, scratch, "deposit", sandbox=sandbox, hidden=hidden))
        outputs = outputs_to_compare(parsed, members)
        for path in outputs:  # an output outside results/ is made by the rerun, not copied into it
            if not _unsafe(path) and is_plain_file(rerun / path, path):
                (rerun / path).unlink()
        if modified:  # the release's own numbers on the same data (claims need only these targets)
            folder = release_run_folder(deposited, members, work / "release" / deposited.name, release_files)
            targets = [t for t in ("results/tables/table1.csv", "results/checks/claims.csv") if t in outputs]
            release_run = run_workflow(
                folder, cores, out_dir / "release.log", sandbox=sandbox, hidden=hidden, targets=targets
            )
            release_run["folder"] = folder
        run = run_workflow(rerun, cores, out_dir / "rerun.log", sandbox=sandbox, hidden=hidden)
        figures = figure_data(parsed)
        for path in outputs:
            if _unsafe(path):
                rows.append(result(path, "differs", [phrase("output_outside")]))
                continue
            row = compare_output(path, deposited / path, rerun / path, figure_data=figures, limits=limits)
            rows.append(row)
            if row["status"] not in MATCHES and within_last_digit(
                path, deposited / path, rerun / path, figure_data=figures, limits=limits
            ):
                minor.add(path)
        sides = {
            "deposited": deposited,
            "rerun": rerun,
            "release": release_run["folder"] if release_run else None,
        }
        paper = paper_comparison(sides, deposited, members, work / "paper", language)
        paper["same_code"] = not modified
    summary = verification_summary(
        rows,
        hash_rows,
        code,
        rerun_made=run is not None,
        accepted=accept_modified_code,
        minor=minor,
        not_run=not_run,
        parse_errors=[p["error"] for p in parsed if "error" in p],
    )
    meta = {
        **_identity(deposited),
        "zip": Path(zip_path).name,
        "zip_sha256": sha256(zip_path),
        "unpacked": project_path(deposited),
        "rerun_folder": project_path(rerun) if run else None,
        "command": run["command"] if run else "",
        "exit_code": run["exit_code"] if run else None,
        "log": project_path(run["log"]) if run else None,
        "release_command": release_run["command"] if release_run else None,
        "release_exit_code": release_run["exit_code"] if release_run else None,
        "sandbox": state,
        "accept_modified_code": accept_modified_code,
        "limits": limits,
        "release": project_path(release_root()),
        "versions": [{"name": k, "version": v} for k, v in software_versions().items()],
    }
    context = {"rows": rows, "hash_rows": hash_rows, "code_rows": code, "summary": summary, "meta": meta}
    context["paper"] = paper
    write_reports(out_dir, context, language)
    return summary


def _unsafe(path: str) -> bool:
    from upgrade_repro.deposit.manifest import path_problem

    return path_problem(path) is not None


def software_versions() -> dict[str, str]:
    """Python and the main packages of the verifying machine (shown in the verification report)."""
    import platform
    from importlib import metadata

    versions = {"python": platform.python_version(), "platform": platform.platform()}
    for dist in ("snakemake", "pandas", "numpy", "matplotlib"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    return versions


def require_verified(summary_path, report_path) -> str:
    """The verdict line when verification.json says verified; else DepositNotVerifiedError naming
    the verdict and the report (which the reviewer keeps)."""
    summary = json.loads(Path(summary_path).read_text(encoding="utf-8"))["summary"]
    if not summary.get("verified"):
        raise DepositNotVerifiedError(
            f"verdict {summary['verdict']!r} (class {summary.get('class')!r}): see the verification report "
            f"{_posix(report_path)}",
            file=_posix(summary_path),
        )
    return f"verdict: {summary['verdict']} ({_posix(report_path)})"


def parse_limits(pairs) -> dict:
    """--limit KEY=VALUE options -> {key: number}."""
    limits = {}
    for pair in pairs or []:
        key, _, value = pair.partition("=")
        try:
            limits[key.strip()] = int(float(value)) if key.strip() != "ratio" else float(value)
        except ValueError:
            raise DepositArchiveError(f"--limit {pair!r}: give KEY=NUMBER") from None
    return limits


def main(argv=None) -> int:
    """Console command upgrade-repro-verify-deposit: the verification without the workflow around
    it. Exit code 0 verified; 1 not verified (every report file written); 2 refused before anything
    was run, one line naming the reason (docs/verification.md, "Exit codes")."""
    import argparse

    from upgrade_repro.deposit import sandbox as box

    parser = argparse.ArgumentParser(
        prog="upgrade-repro-verify-deposit",
        description="Verify a deposit: check it against its manifest and this release's code, rerun its workflow "
        "(in a sandbox: it runs the deposit's code) and compare every output; writes verification.{html,md,csv,json} "
        "(docs/verification.md).",
    )
    parser.add_argument("deposit", help="the deposit zip (results/deposit/<name>-<version>.zip)")
    parser.add_argument("--out", help="folder of the verification (default: results/verify/<zip name>)")
    parser.add_argument("--cores", type=int, default=4, help="cores of the rerun (default 4)")
    parser.add_argument("--language", choices=["zh", "en"], help="language of the report (default: the deposit's)")
    parser.add_argument(
        "--accept-modified-code",
        action="store_true",
        help="rerun a deposit whose code differs from this release's (named first in the report)",
    )
    parser.add_argument("--no-sandbox", action="store_true", help="run the deposit's code without bubblewrap")
    parser.add_argument(
        "--limit",
        action="append",
        metavar="KEY=VALUE",
        help="a limit of the zip: members, member_bytes, total_bytes, ratio (docs/verification.md)",
    )
    args = parser.parse_args(argv)
    out = Path(args.out) if args.out else Path("results/verify") / Path(args.deposit).stem
    state = box.mode(not args.no_sandbox)
    if state != "bubblewrap":
        print(box.describe(state), file=sys.stderr)
    try:
        summary = verify(
            args.deposit,
            out,
            cores=args.cores,
            language=args.language,
            limits=parse_limits(args.limit),
            accept_modified_code=args.accept_modified_code,
            sandbox=not args.no_sandbox,
        )
    except DepositArchiveError as error:
        print(f"refused: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # noqa: BLE001 - one line, never a traceback (docs/verification.md)
        print(
            f"not verified: the verification could not be carried out: {type(error).__name__}: {error}", file=sys.stderr
        )
        return 2
    print(f"verdict: {summary['verdict']} (class: {summary['class']}); report: {_posix(out / 'verification.html')}")
    return 0 if summary["verified"] else 1


if __name__ == "__main__":
    sys.exit(main())
