"""Each rule's script is thin (its main() only) and imports no other script; the code inputs derived
from imports: tests/workflow/test_dependencies.py."""

from conftest import ROOT


def test_scripts_are_thin_and_import_no_other_script():
    """Each rule's script holds its main() only (with the __main__ block for running it by hand);
    everything else lives in the library; no script imports another script."""
    import ast

    stems = {p.stem for p in (ROOT / "scripts").glob("*.py")}
    for script in sorted((ROOT / "scripts").glob("*.py")):
        tree = ast.parse(script.read_text(encoding="utf-8"))
        imported = {
            alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        }
        imported |= {
            node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
        }
        assert not imported & stems, script.name
        defined = [node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))]
        assigned = [node for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))]
        assert defined == ["main"] and not assigned, script.name
    assert not (ROOT / "scripts" / "make_demo.py").exists()  # a tool, not a rule: tools/
