PREVIOUS_RUN = "results/checks/previous"


rule changes:
    input:
        unpack(compared_tables),
        code=project_imports("scripts/changes.py"),
    output:
        changes=report(
            "results/checks/changes.csv",
            caption="../report/changes.rst",
            category="Verification",
        ),
    log:
        "results/logs/changes.log",
    benchmark:
        "results/benchmarks/changes.tsv"
    conda:
        "../envs/upgrade.yaml"
    resources:
        mem_mb=mem_mb(500, 10),
        runtime=10,
    params:
        # Read, not declared as input: the snapshot is rewritten after every successful run,
        # and must not make this rule rerun by itself.
        previous_dir=PREVIOUS_RUN,
    script:
        "../../scripts/changes.py"


onsuccess:
    # Snapshot the compared tables: the next run's changes.csv is against this successful run.
    import shutil

    Path(PREVIOUS_RUN).mkdir(parents=True, exist_ok=True)
    for name, path in compared_tables().items():
        if Path(path).is_file():
            shutil.copyfile(path, Path(PREVIOUS_RUN) / f"{name}.csv")
