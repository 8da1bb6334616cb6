#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# exports_test.sh: libwtsvc.so exports exactly its documented API.  TAP.
#
# Three sets of names, compared pairwise so a failure says where the
# fault is:
#   exported  nm -D --defined-only of the shared object
#   mapped    the global names of the version script,
#             userspace/lib/libwtsvc.map
#   declared  the functions the public headers include/wtsvc/*.h declare,
#             as the compiler reads them (gcc -aux-info on a file that
#             includes every header; inline definitions are not
#             declarations and are left out), plus InitWtsApi, WinPR's
#             provider entry point, which no header declares
# Every export must also carry a version node of the script.
#
# Usage: exports_test.sh [path/to/libwtsvc.so.0]  (default: the build's)
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
so=${1:-$top/build/lib/libwtsvc.so.0}
map=$top/userspace/lib/libwtsvc.map
gcc=${GCC:-gcc}		# -aux-info is GCC's
undeclared_exports="InitWtsApi"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=../tap.sh
. "$top/tests/tap.sh"

# only_in A B LABEL: "LABEL: names" for the names of sorted file A that
# sorted file B lacks, or nothing.
only_in() {
	local names
	names=$(comm -23 "$1" "$2" | paste -sd' ')
	[ -z "$names" ] || echo "$3: $names"
}

echo "1..9"

# --- exported ---------------------------------------------------------------
# nm -D prints "value type name@@NODE"; the node itself is an absolute
# (A) symbol, not an export.
nm -D --defined-only "$so" > "$tmp/nm" 2> "$tmp/nm.err"
ok $? "nm -D reads ${so#"$top"/}" "$(cat "$tmp/nm.err")"
awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' "$tmp/nm" |
	sort -u > "$tmp/exported"

# --- mapped -----------------------------------------------------------------
# Comments out; then, in each node "NAME { global: ...; local: ...; } DEPS;",
# the node's name and the names between "global:" and "local:".
awk '
	{
		out = ""; s = $0
		while (s != "") {
			if (incomment) {
				i = index(s, "*/")
				if (!i)
					break
				s = substr(s, i + 2); incomment = 0
			} else if ((i = index(s, "/*"))) {
				out = out substr(s, 1, i - 1)
				s = substr(s, i + 2); incomment = 1
			} else {
				out = out s; s = ""
			}
		}
		gsub(/[{};]/, " & ", out)
		print out
	}' "$map" |
	awk -v nodes="$tmp/nodes" '
		{
			for (i = 1; i <= NF; i++) {
				t = $i
				if (t == "{") { sect = "global" }
				else if (t == "}") { sect = "deps" }
				else if (t == "global:") { sect = "global" }
				else if (t == "local:") { sect = "local" }
				else if (t == ";") { if (sect == "deps") sect = "" }
				else if (sect == "") { print t > nodes }
				else if (sect == "global") { print t }
			}
		}' | sort -u > "$tmp/mapped"
[ -s "$tmp/mapped" ] && [ -s "$tmp/nodes" ]
ok $? "the version script has a node with global names ($(wc -l < "$tmp/mapped") names)"

# --- declared ---------------------------------------------------------------
for h in "$top"/include/wtsvc/*.h; do
	echo "#include <wtsvc/$(basename "$h")>"
done > "$tmp/all.c"
"$gcc" -std=c11 -I"$top/include" -I"$top/include/uapi" -fsyntax-only \
	-aux-info "$tmp/aux" "$tmp/all.c" > "$tmp/cc.err" 2>&1
ok $? "the public headers compile for -aux-info" "$(cat "$tmp/cc.err")"
# Lines look like "/* <top>/include/wtsvc/x.h:12:NC */ extern BOOL F (...);"
# where C is a declaration and F a definition (static inline).
grep -F "$top/include/wtsvc/" "$tmp/aux" 2>/dev/null |
	grep -E '^/\* [^ ]+:[0-9]+:[NO]C \*/' | grep -v ' static ' |
	sed -E 's/^[^*]*\*\/ //; s/^([^(]*[^A-Za-z0-9_(])?([A-Za-z_][A-Za-z0-9_]*) \(.*/\2/' \
	> "$tmp/declared.h"
{ cat "$tmp/declared.h"; tr ' ' '\n' <<<"$undeclared_exports"; } |
	sort -u > "$tmp/declared"
[ -s "$tmp/declared.h" ]
ok $? "the public headers declare functions ($(wc -l < "$tmp/declared.h") declarations)"

# --- comparisons ------------------------------------------------------------
d=$(only_in "$tmp/declared" "$tmp/exported" "declared, not exported")
[ -z "$d" ]
ok $? "every declared function is exported" "$d"

d=$(only_in "$tmp/exported" "$tmp/declared" "exported, not declared")
[ -z "$d" ]
ok $? "every export is declared in a public header" "$d"

d=$(only_in "$tmp/mapped" "$tmp/declared" "in the script, not declared"
    only_in "$tmp/declared" "$tmp/mapped" "declared, not in the script")
[ -z "$d" ]
ok $? "the version script lists exactly the declared functions" "$d"

d=$(only_in "$tmp/mapped" "$tmp/exported" "in the script, not exported"
    only_in "$tmp/exported" "$tmp/mapped" "exported, not in the script")
[ -z "$d" ]
ok $? "the shared object exports exactly the version script's names" "$d"

# Every export is bound to one of the script's nodes (name@@NODE).
nodes=$(paste -sd'|' "$tmp/nodes" 2>/dev/null)
d=$(awk '$2 != "A" { print $3 }' "$tmp/nm" | grep -vE "@@($nodes)\$" |
	paste -sd' ')
[ -z "$d" ]
ok $? "every export carries a version node of the script (${nodes//|/, })" \
	"not bound to one: $d"

echo "# $(wc -l < "$tmp/exported") exports"
tap_end
