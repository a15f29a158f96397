"""What a workflow makes, from Snakemake's own parse of it: the outputs of the jobs of its default
target and, for each figure, the data it is drawn from (docs/verification.md, "What is compared").

Run as a script (`python parse.py SNAKEFILE WORKDIR RESULT`) inside the sandbox by verify.py, once
for the verifying release's workflow and once for the deposit's: parsing a workflow runs its code
(and a YTE config file's). The script imports nothing of the library before the parse (so that the
parsed workflow imports its own copy), only upgrade_repro/mock.py, loaded from this package's folder
under another name. Imported as a module, it gives the same functions to the workflow itself
(common.smk run_outputs)."""

import json
import sys
from pathlib import Path

# The formats of a figure: those files.save_figure writes (the one home of this constant; this
# module defines it rather than importing it, as it imports nothing of the library: see above).
FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


def _inputs(rule) -> list[str]:
    found = []
    for item in rule.input:
        items = item(None) if callable(item) else item
        found += [str(i) for i in ([items] if isinstance(items, str) else items)]
    return found


def default_target_outputs(rules, default_rule: str) -> list[str]:
    """Every output of the jobs that make the default target (the rule `default_rule`'s inputs):
    the targets, then each producing rule's other outputs and the outputs of the rules making its
    inputs, recursively (an input function called without wildcards). Sorted."""
    by_name = {r.name: r for r in rules}
    todo, seen, found = _inputs(by_name[default_rule]), set(), set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for rule in rules:
            if rule.name == default_rule or not rule.is_producer(path):
                continue
            found.update(str(o) for o in rule.output)
            todo += _inputs(rule)
    return sorted(found)


def figure_sources(rules) -> dict[str, list[str]]:
    """Figure (an output of a rule in png, svg or pdf) -> the data files its rule draws it from:
    the rule's inputs that are data (under results/ or data/), not code; read from the parsed
    workflow's rules, so that a new figure rule brings its own data."""
    found = {}
    for rule in rules:
        figures = [str(o) for o in rule.output if str(o).endswith(FIGURE_SUFFIXES)]
        if not figures:
            continue
        sources = sorted(
            {
                Path(i).as_posix()
                for i in rule.input
                if isinstance(i, str) and Path(i).as_posix().startswith(("results/", "data/")) and not i.endswith(".py")
            }
        )
        for figure in figures:
            found[Path(figure).as_posix()] = sources
    return found


def _mock():
    """upgrade_repro/mock.py of the verifier, loaded under its own name (not as upgrade_repro.mock)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_verifier_mock", Path(__file__).resolve().parent.parent / "mock.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv) -> int:
    """Parse the workflow `argv[0]` (its Snakefile) in the folder `argv[1]`, the raw files' registry
    check off (a changed raw file is the manifest check's to report), and write
    {default_target, outputs, figures} as JSON to `argv[2]`."""
    snakefile, workdir, result = (Path(a).resolve() for a in argv)
    with _mock().parsed_workflow(snakefile.parent, config={"registry": {"check": False}}, workdir=workdir) as wf:
        found = {
            "default_target": wf.default_target,
            "outputs": default_target_outputs(wf.rules, wf.default_target),
            "figures": figure_sources(wf.rules),
        }
    result.write_text(json.dumps(found), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
