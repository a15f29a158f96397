"""Outputs of the stand-in rules (report_stand_ins.smk) for the report's tests.

Standard library only, so each job starts fast. The pictures are bare bar charts: what matters is
that they are real PNG and SVG files. province_means.csv has the columns of the Figure 1 branch.
"""

import csv
import struct
import zlib
from collections import defaultdict
from pathlib import Path


def read_means(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return [(r["code"], r["province"], float(r["mean_upgrade"])) for r in csv.DictReader(fh)]


def write_province_means(indicators, out):
    values, names = defaultdict(list), {}
    with open(indicators, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            values[r["code"]].append(float(r["upgrade"]))
            names[r["code"]] = r["province"]
    means = {c: sum(v) / len(v) for c, v in values.items()}
    ranked = sorted(means, key=means.get, reverse=True)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["code", "province", "mean_upgrade", "tier", "rank"])
        for code in sorted(means):
            writer.writerow([code, names[code], repr(means[code]), int(means[code]), ranked.index(code) + 1])


def bar_chart(values, path):
    width, height, top = 4 * len(values), 60, max(values)
    bars = [round(v / top * (height - 1)) for v in values]
    if str(path).endswith(".svg"):
        rects = "".join(f'<rect x="{4 * i}" y="{height - h}" width="3" height="{h}" fill="#1f77b4"/>'
                        for i, h in enumerate(bars))
        Path(path).write_text(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
                              f'height="{height}">{rects}</svg>', encoding="utf-8")
        return
    rows = b"".join(b"\x00" + bytes(0 if i % 4 < 3 and bars[i // 4] >= height - y else 255
                                    for i in range(width)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    Path(path).write_bytes(b"\x89PNG\r\n\x1a\n"
                           + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                           + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def main(smk):
    if smk.rule == "stand_in_province_means":
        write_province_means(smk.input.indicators, smk.output.csv)
        return
    means = read_means(smk.input.csv)
    if smk.rule == "stand_in_markup":
        code, name, top = max(means, key=lambda r: r[2])
        Path(smk.output.table).write_text(
            "Regions (stand-in)\n\n| region | mean \\| upgrade |\n|---|---:|\n"
            f"| {name} | {top:.3f} |\n| <script>console.error('xss-md')</script> *x* | 1 |\n\n"
            "Note: a stand-in.\n", encoding="utf-8")
        return
    values = [m for _, _, m in means]
    bar_chart(sorted(values, reverse=True) if smk.rule == "stand_in_figure_ranking" else values, smk.output[0])


if __name__ == "__main__":
    main(snakemake)  # noqa: F821 (set by Snakemake)
