# SPDX-License-Identifier: GPL-2.0
#
# TAP helpers for the test scripts, host and VM (sourced).  The caller
# sets $tmp to a scratch directory.
#   ok STATUS NAME [DETAIL]  one result line; DETAIL as diagnostics on failure
#   check NAME CMD...        ok when CMD succeeds; its output shown otherwise
#   tap_end                  the summary; returns non-zero if anything failed
n=0
fails=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		fails=$((fails + 1))
		[ -z "${3:-}" ] || printf '%s\n' "$3" | sed 's/^/#   /'
	fi
}

check() {
	local name=$1
	shift
	"$@" >"$tmp/out" 2>&1
	local rc=$?
	[ $rc = 0 ] || sed 's/^/# /' "$tmp/out" | tail -30
	ok $rc "$name"
}

tap_end() {
	echo "# $n tests, $fails failed"
	[ "$fails" = 0 ]
}
