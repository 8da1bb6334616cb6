#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The result tables of Documentation/performance.rst, in reStructuredText,
from a guest run (make bench) and a native one (make bench-host):

    scripts/bench-tables.py build/bench/6.1.0-*/ build/bench/host/

Each set's ratios.csv, results.csv and fairness.csv; a set that is not
there gives "not measured".  The ring of a set is ``ring`` (and its
-nospin and -batch twins) when the module was there, else ``memring``.
"""
import csv
import os
import sys

SIZES = (64, 1600, 65536)
SIZE_NAMES = {64: "64 B", 1600: "1600 B", 65536: "64 KiB"}
PEERS = ("seqpacket", "seqpacket+spin", "stream", "stream+spin", "pipe",
         "pipe+spin")
VARIANTS = (("with spin", ""), ("no spin", "-nospin"), ("batches", "-batch"))
CPU_ROWS = ("ring", "ring-nospin", "ring-batch", "ucmd", "ucmd-nospin",
            "memring", "memring-nospin", "memring-batch", "seqpacket",
            "seqpacket+spin", "stream", "stream+spin", "pipe", "pipe+spin")
FAIR_ROWS = ("ring", "ring-nospin", "rw", "seqpacket", "seqpacket+spin")


def load(d, name):
    path = os.path.join(d, name) if d else ""
    if not path or not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


class Set:
    def __init__(self, d):
        self.ratios = load(d, "ratios.csv")
        self.results = load(d, "results.csv")
        self.fair = {r["transport"]: r for r in load(d, "fairness.csv")}
        names = {r["transport"] for r in self.results}
        self.ring = "ring" if "ring" in names else "memring"

    def ratio(self, ring, peer, size, key):
        for r in self.ratios:
            if (r["ring"], r["peer"], int(r["size"])) == (ring, peer, size):
                return float(r[key])
        return None

    def result(self, transport, size):
        for r in self.results:
            if (r["transport"], int(r["size"])) == (transport, size):
                return r
        return None


def table(header, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    rule = "  ".join("=" * w for w in widths)
    out = [rule, "  ".join(str(h).ljust(w) for h, w in zip(header, widths)),
           rule]
    out += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip()
            for row in rows]
    out.append(rule)
    return "\n".join(out)


def fmt(v, unit="x"):
    if v is None:
        return "not measured"
    if unit == "x":
        return f"{v:.2f}x" if v < 10 else f"{v:.1f}x"
    return f"{v:.0f} {unit}" if v >= 100 else f"{v:.1f} {unit}"


def size_cols():
    return [f"guest {SIZE_NAMES[s]}" for s in SIZES] + \
           [f"native {SIZE_NAMES[s]}" for s in SIZES]


def ratio_table(g, n, key):
    rows = []
    for vname, suffix in VARIANTS:
        for peer in PEERS:
            row = [vname, f"``{peer}``"]
            for st in (g, n):
                for s in SIZES:
                    row.append(fmt(st.ratio(st.ring + suffix, peer, s, key)))
            rows.append(row)
    return table(["ring", "peer"] + size_cols(), rows)


def cpu_table(g, n):
    rows = []
    for t in CPU_ROWS:
        if not g.result(t, 64) and not n.result(t, 64):
            continue
        row = [f"``{t}``"]
        for s in SIZES:
            x, base = g.result(t, s), g.result("seqpacket", s)
            row.append(fmt(float(x["cpu_ns_per_msg"]) /
                           float(base["cpu_ns_per_msg"]))
                       if x and base else "not measured")
        for s in SIZES:
            x = n.result(t, s)
            row.append(fmt(float(x["cpu_ns_per_msg"]), "ns")
                       if x else "not measured")
        rows.append(row)
    return table(["transport"] + size_cols(), rows)


def fair_table(g, n):
    rows = []
    base = g.fair.get("seqpacket")
    for t in FAIR_ROWS:
        row = [f"``{t}``"]
        x = g.fair.get(t)
        for k in ("idle_p50_us", "load_p50_us", "load_p99_us"):
            row.append(fmt(float(x[k]) / float(base["idle_p50_us"]))
                       if x and base else "not measured")
        x = n.fair.get(t)
        for k in ("idle_p50_us", "load_p50_us", "load_p99_us"):
            row.append(fmt(float(x[k]), "µs") if x else "not measured")
        rows.append(row)
    return table(["transport", "guest idle p50", "guest loaded p50",
                  "guest loaded p99", "native idle p50",
                  "native loaded p50", "native loaded p99"], rows)


def small_table(n):
    rows = []
    for t in (n.ring, n.ring + "-batch", n.ring + "-nospin", "seqpacket",
              "seqpacket+spin"):
        x = n.result(t, 64)
        if not x:
            continue
        med = float(x["msgs_per_s"])
        spread = (float(x["msgs_per_s_max"]) - float(x["msgs_per_s_min"])) / med
        rows.append([f"``{t}``", f"{med / 1e6:.1f} M", f"{spread * 100:.0f} %",
                     fmt(float(x["cpu_ns_per_msg"]), "ns")])
    return table(["transport (native, 64 B)", "messages/s", "spread",
                  "CPU/message"], rows)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: bench-tables.py GUEST_DIR HOST_DIR")
    g, n = Set(sys.argv[1]), Set(sys.argv[2])
    print("Throughput, ring / peer (messages/s):\n")
    print(ratio_table(g, n, "msgs_per_s"))
    print("\nMedian round trip, ring / peer:\n")
    print(ratio_table(g, n, "rtt_p50_us"))
    print("\nCPU time per message:\n")
    print(cpu_table(g, n))
    print("\nFairness:\n")
    print(fair_table(g, n))
    print("\n64 B natively, one message at a time and in batches:\n")
    print(small_table(n))


if __name__ == "__main__":
    main()
