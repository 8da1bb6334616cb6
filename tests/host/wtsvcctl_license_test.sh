#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# wtsvcctl license against a store of its own (an SQLite file named by a
# licensing.conf in a scratch $WTSVC_CONFIG_DIR), as an administrator
# uses it: a key pack added, listed as a table and as JSON, licenses
# issued until the pack runs out (exit 1, "no license left"), a device
# keeping its license, searches, revoke, disable, remove; bad usage and
# an unknown server.  No kernel needed.  Prints TAP.
#
#   tests/host/wtsvcctl_license_test.sh [path/to/wtsvcctl]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
C=${1:-$top/build/bin/wtsvcctl}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/tap.sh"
printf '[store]\nlocal = sqlite:%s/store/licensing.db\n' "$tmp" \
	>"$tmp/licensing.conf"
export WTSVC_CONFIG_DIR=$tmp
L() { "$C" license "$@"; }
# A field of JSON on stdin: python3's json module reads it.
jq_() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

echo "TAP version 13"
echo "1..11"
out=$(L add --company "Example Corp" --product RDS-CAL --count 2 \
	--version 10.0 --expire 2030-01-01 --name "RDS Per Device CAL" 2>&1)
ok $? "add a key pack of 2 per-device licenses" "$out"
j=$("$C" --json license packs)
[ "$(echo "$j" | jq_ 'len(d), d[0]["id"], d[0]["left"], d[0]["total"], d[0]["expire"], d[0]["status"], d[0]["mode"], d[0]["product_name"]')" = \
	"1 1 2 2 1893456000 active device RDS Per Device CAL" ]
ok $? "the pack, as JSON: one, 2 left of 2, expires 2030-01-01, active, per device" "$j"
L packs | grep -qE '^1 +active +retail +RDS-CAL +Example Corp +device +2 +2 '
ok $? "and as a table" "$(L packs)"

a=$("$C" --json license issue --product RDS-CAL --hwid hw-1 --machine pc-1)
b=$("$C" --json license issue --product RDS-CAL --hwid hw-2 --machine pc-2)
a2=$("$C" --json license issue --product RDS-CAL --hwid hw-1 --machine pc-1)
[ "$(echo "$a" | jq_ 'd["id"]')" = 1 ] && [ "$(echo "$b" | jq_ 'd["id"]')" = 2 ] &&
	[ "$(echo "$a2" | jq_ 'd["id"]')" = 1 ]
ok $? "two devices get licenses 1 and 2; hw-1 again keeps license 1" "$a $b $a2"
out=$(L issue --product RDS-CAL --hwid hw-3 2>&1)
rc=$?
[ $rc = 1 ] && echo "$out" | grep -q "no license left (5011)" &&
	[ "$("$C" --json license packs | jq_ 'd[0]["left"]')" = 0 ]
ok $? "a third device: exit 1, no license left; the pack at 0" "rc $rc: $out"

[ "$("$C" --json license list --machine PC-2 | jq_ 'len(d), d[0]["hwid"], d[0]["status"]')" = "1 hw-2 active" ]
ok $? "list --machine (any case) finds hw-2's license" "$("$C" --json license list)"

L revoke 1 && [ "$("$C" --json license list --status revoked | jq_ 'len(d), d[0]["id"]')" = "1 1" ] &&
	L issue --product RDS-CAL --hwid hw-3 >/dev/null
ok $? "revoke 1: it goes back to the pack, and hw-3 gets it" "$(L list; L packs)"

L disable 1 && out=$(L issue --product RDS-CAL --hwid hw-4 2>&1); rc=$?
[ $rc = 1 ] && [ "$("$C" --json license packs | jq_ 'd[0]["status"]')" = revoked ]
ok $? "a disabled pack issues nothing" "rc $rc: $out"

L remove 1 && [ "$("$C" --json license list | jq_ 'len(d)')" = 0 ] &&
	[ "$("$C" --json license packs | jq_ 'len(d)')" = 0 ]
ok $? "remove: the pack and its licenses are gone" "$(L list; L packs)"

L add --company X --product P --count 0 >/dev/null 2>&1
r1=$?
L revoke nine >/dev/null 2>&1
r2=$?
L --server no-such packs >"$tmp/err" 2>&1
r3=$?
[ $r1 = 2 ] && [ $r2 = 2 ] && [ $r3 = 1 ] && grep -q "Win32 error 1722" "$tmp/err"
ok $? "bad usage exits 2; an unknown server 1 (RPC_S_SERVER_UNAVAILABLE)" \
	"$r1 $r2 $r3 $(cat "$tmp/err")"

# JSON is UTF-8 whatever the store holds: a stray byte and an overlong
# form become U+FFFD; quotes and slashes come back as they were.
L add --company "A/B" --product U --count 1 >/dev/null
L issue --product U --hwid h-9 --machine $'pc\xff\xc0\xaf"9"' >/dev/null
"$C" --json license list --machine $'pc\xff\xc0\xaf"9"' >"$tmp/j" 2>&1
python3 -c '
import json, sys
raw = open(sys.argv[1], "rb").read()
d = json.loads(raw.decode("utf-8"))	# strict: invalid UTF-8 raises
assert d[0]["machine"] == "pc\ufffd\ufffd\ufffd\"9\"", d[0]["machine"]
' "$tmp/j" && "$C" --json license packs | grep -q '"company":"A/B"'
ok $? "JSON output is valid UTF-8 (invalid bytes become U+FFFD)" "$(cat "$tmp/j")"
tap_end
