#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# wtsvc-bench in the guest, TAP output: a quick run over every transport
# (the rings with and without spin and in batches, the peers blocking and
# spinning),
# size, scaling and fairness configuration must verify every message and
# write complete results, CPU time per message and the ratios of every
# ring to every peer included; the report names the machine, and a guest
# says its figures are ratios only; damaged data (--corrupt) must fail
# every transport loudly, never print a figure; bad usage is refused.
# Figures are not judged here (make bench measures them).
set -uo pipefail

bench=build/bin/wtsvc-bench
out=/tmp/bench-quick
n=0

t() {
	local name=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n $name"
	else
		echo "not ok $n $name"
	fi
}

py() {
	python3 -c "$1" "$out"
}

echo "TAP version 13"
"$bench" --quick --out "$out" > /tmp/quick.txt 2> /tmp/quick.err
rc=$?
t "a quick run of every transport verifies every message (exit 0)" \
	test "$rc" = 0
[ "$rc" = 0 ] || sed 's/^/# /' /tmp/quick.err | tail -5

t "results: 17 transports and memcpy at 5 sizes, all verified" py '
import json, sys
r = json.load(open(sys.argv[1] + "/results.json"))["results"]
names = {"ring", "ring-nospin", "ring-batch", "ucmd", "ucmd-nospin",
         "uring-rw", "rw", "wtsapi", "seqpacket", "seqpacket+spin", "stream",
         "stream+spin", "pipe", "pipe+spin", "memring", "memring-nospin",
         "memring-batch", "memcpy"}
sizes = {64, 1600, 16384, 65536, 1048576}
got = {(x["transport"], x["size"]) for x in r}
assert got == {(n, s) for n in names for s in sizes}, got
for x in r:
    assert x["msgs_per_s"]["median"] > 0 and x["bytes_per_s"]["median"] > 0
    if x["transport"] != "memcpy":
        assert x["verified_msgs"] > 0 and x["rtt_p50_us"]["median"] > 0, x
'

t "wakeups per message counted for the wtsvc transports, the memfd rings and the +spin peers (their polls)" py '
import json, sys
r = json.load(open(sys.argv[1] + "/results.json"))["results"]
rings = {"ring", "ring-nospin", "ring-batch", "ucmd", "ucmd-nospin",
         "uring-rw", "rw", "wtsapi", "memring", "memring-nospin",
         "memring-batch"}
spinning = {"seqpacket+spin", "stream+spin", "pipe+spin"}
for x in r:
    t = x["transport"]
    assert ("wakeups_per_msg" in x) == (t in rings | spinning), x
    assert ("doorbells_per_msg" in x) == (t in rings), x
    if "wakeups_per_msg" in x:
        assert x["wakeups_per_msg"] >= 0
    if "doorbells_per_msg" in x:
        assert x["doorbells_per_msg"] >= 0
'

t "CPU time per message and per round trip for every transport but memcpy" py '
import json, sys
r = json.load(open(sys.argv[1] + "/results.json"))["results"]
for x in r:
    if x["transport"] == "memcpy":
        assert "cpu_per_msg" not in x and "cpu_per_trip" not in x, x
        continue
    for k in ("cpu_per_msg", "cpu_per_trip"):
        c = x[k]
        assert 0 < c["total_ns"]["min"] <= c["total_ns"]["median"] <= c["total_ns"]["max"], x
        assert c["user_ns"] >= 0 and c["sys_ns"] >= 0, x
        assert c["user_ns"] + c["sys_ns"] <= c["total_ns"]["max"] * 1.001 + 1, x
'

t "ratios: 8 rings (with and without spin, in batches) x 6 peers (blocking, +spin) x 5 sizes" py '
import json, sys
q = json.load(open(sys.argv[1] + "/results.json"))["ratios"]
rings = {"ring", "ring-nospin", "ring-batch", "ucmd", "ucmd-nospin",
         "memring", "memring-nospin", "memring-batch"}
peers = {"seqpacket", "seqpacket+spin", "stream", "stream+spin", "pipe", "pipe+spin"}
got = {(x["ring"], x["peer"], x["size"]) for x in q}
assert len(q) == 240 and {(a, b) for a, b, s in got} == {(a, b) for a in rings for b in peers}, len(q)
for x in q:
    assert x["msgs_per_s"] > 0 and x["rtt_p50_us"] > 0 and x["cpu_per_msg"] > 0, x
    assert x["peer_spins"] == x["peer"].endswith("+spin"), x
'

t "the report names kernel, CPU and clock source first; results.json too" py '
import json, sys
lines = open("/tmp/quick.txt").read().splitlines()
assert any(l.startswith("kernel ") and ", CPU " in l and ", clock source " in l
           for l in lines[:2]), lines[:3]
s = json.load(open(sys.argv[1] + "/results.json"))["system"]
assert s["kernel"] and s["cpu_model"] and s["clocksource"], s
'

"$bench" --guest --quick --no-scaling --sizes 64 --transports seqpacket \
	> /tmp/guest.txt 2> /tmp/guest.err
t "--guest: the report's first line says the figures are ratios only" \
	test "$(head -1 /tmp/guest.txt)" = \
	"guest figures (QEMU TCG): compare as ratios only"

t "scaling: ring, rw, seqpacket x 2 sizes x 1..64 channels over 1..8 sessions" py '
import json, sys
s = json.load(open(sys.argv[1] + "/results.json"))["scaling"]
assert len(s) == 42, len(s)
for x in s:
    assert x["bytes_per_s"]["median"] > 0 and x["verified_msgs"] > 0
    want = min(x["channels"], 8) if x["transport"] != "seqpacket" else 0
    assert x["sessions"] == want, x
assert {x["channels"] for x in s} == {1, 2, 4, 8, 16, 32, 64}
'

t "fairness: idle and loaded round trips for ring (with and without spin), rw and seqpacket (blocking and +spin)" py '
import json, sys
f = json.load(open(sys.argv[1] + "/results.json"))["fairness"]
assert [x["transport"] for x in f] == ["ring", "ring-nospin", "rw", "seqpacket", "seqpacket+spin"], f
for x in f:
    assert 0 < x["idle_p50_us"] <= x["idle_p99_us"]
    assert 0 < x["load_p50_us"] <= x["load_p99_us"] <= x["load_max_us"]
    assert x["bulk_bytes_per_s"] > 0
'

t "targets: all 9 measured, in the JSON and on the terminal" py '
import json, sys
t = json.load(open(sys.argv[1] + "/results.json"))["targets"]
assert len(t) == 9 and all(x["measured"] for x in t), t
'
t "CSV files: a header and one line per result (and per ratio)" \
	test "$(wc -l < "$out/results.csv")" = 91 -a \
	"$(wc -l < "$out/ratios.csv")" = 241 -a \
	"$(wc -l < "$out/scaling.csv")" = 43 -a \
	"$(wc -l < "$out/fairness.csv")" = 6
t "terminal table lists every transport and the targets" \
	grep -q "targets (ratios measured in this run)" /tmp/quick.txt

for tr in ring ring-nospin ring-batch ucmd ucmd-nospin uring-rw rw wtsapi \
	seqpacket seqpacket+spin stream stream+spin pipe pipe+spin memring \
	memring-nospin memring-batch; do
	"$bench" --quick --no-scaling --sizes 64,1600 --transports "$tr" \
		--corrupt 7 > /tmp/corrupt.txt 2> /tmp/corrupt.err
	rc=$?
	t "$tr: a damaged message fails the run (exit 3), no figure printed" \
		test "$rc" = 3 -a ! -s /tmp/corrupt.txt
	grep -q "message 7 is corrupted" /tmp/corrupt.err ||
		sed 's/^/# /' /tmp/corrupt.err | tail -3
done

"$bench" --transports nosuch > /dev/null 2>&1
rc1=$?
"$bench" --sizes 8 > /dev/null 2>&1
rc2=$?
"$bench" --ring-bytes 65536 > /dev/null 2>&1
rc3=$?
t "bad usage (unknown transport, size too small, ring too small) exits 2" \
	test "$rc1$rc2$rc3" = 222

echo "1..$n"
