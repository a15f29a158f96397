"""The verifying release: the copy of this project whose code verifies a deposit, and which decides
what the deposit's code files are compared with (docs/verification.md, "What code will run").

In a checkout (or an editable install) the release is the project folder around this package. An
installed wheel carries the same files as package data (pyproject.toml: the package
`upgrade_repro.release` holds the project's code files outside the library: Snakefile, workflow/,
scripts/, report/, tools/, tests/, bench/, ...), and the library is the installed package itself.
Either way the release's code files are the files that build.project_files takes with role code,
found by the same walk (build.walk_project).
"""

from functools import cache
from pathlib import Path, PurePosixPath

import upgrade_repro
from upgrade_repro.deposit.build import is_skipped, role_of, walk_project

LIBRARY = Path(upgrade_repro.__file__).resolve().parent
# Where a wheel puts the release's files other than the library (pyproject.toml, package-data).
PACKAGED = LIBRARY / "release"
# The deposit's configuration: data of the run, not code (a YTE template in it is named apart).
CONFIG = "config.yaml"


@cache
def release_root() -> Path:
    """The folder holding the release's Snakefile, workflow/ and report/: the project around the
    library in a checkout, else the wheel's package data."""
    checkout = LIBRARY.parent
    if (checkout / "Snakefile").is_file() and (checkout / "workflow").is_dir():
        return checkout
    return PACKAGED


def templates_dir() -> Path:
    """report/ of the release: the verification report's templates, texts and style."""
    return release_root() / "report"


def is_code(path: str) -> bool:
    """A file the verifier treats as code: role code (build.role_of, the verifier's own rule, not
    the manifest's column), the deposit's config.yaml aside."""
    return path != CONFIG and role_of(path) == "code"


@cache
def release_code_files() -> dict[str, Path]:
    """The release's code files: relative path -> file. The library from the package itself (its
    packaged release folder left out), the rest from release_root()."""
    root = release_root()
    files = {rel: root / rel for rel in walk_project(root) if is_code(rel) and not rel.startswith("upgrade_repro/")}
    for path in sorted(LIBRARY.rglob("*")):
        rel = PurePosixPath("upgrade_repro", path.relative_to(LIBRARY).as_posix()).as_posix()
        if path.is_file() and not path.is_relative_to(PACKAGED) and not is_skipped(rel) and is_code(rel):
            files[rel] = path
    return dict(sorted(files.items()))
