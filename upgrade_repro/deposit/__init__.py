"""The replication deposit and its verification (docs/deposit.md, docs/verification.md), one module
per task: build (the deposit's files, roles and zip), metadata (metadata.json from CITATION.cff),
licences (the derived outputs' licences), manifest (MANIFEST.csv, and a zip against it), checks (the
data editor's checks), unpack (limits, confinement, streamed unpacking), sandbox
(bubblewrap), parse (a workflow's outputs from its parse), release (the verifying release's code),
compare (outputs against a rerun's), paper (the paper beside the deposit), verdict (verdict and
class), report (the verification report), verify (the verification, the console command). Nothing is
imported here: each module is imported by its own name."""
