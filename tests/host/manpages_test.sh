#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The library's man pages (Documentation/man3, man7): every function the
# shared object exports has a page (its own, or a ".so" link to the page
# that covers it, whose NAME section names it); every page renders
# without a groff warning; a content page has NAME, SYNOPSIS,
# DESCRIPTION, RETURN VALUE, ERRORS and SEE ALSO; links point at content
# pages; the plugin entry points of cchannel.h have pages; the overview
# libwtsvc(7) exists; the commands' pages (sections 1 and 8) exist and
# render cleanly.  Prints TAP.
#
#   tests/host/manpages_test.sh
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/tap.sh"
doc=$top/Documentation
map=$top/userspace/lib/libwtsvc.map
shopt -s nullglob

echo "TAP version 13"
# The exported functions: the version script's global names.
sed -n '/global:/,/local:/p' "$map" | sed 's|/\*.*\*/||' |
	grep -oE '^[[:space:]]+[A-Za-z_][A-Za-z0-9_]*;' | tr -d ' \t;' |
	sort -u >"$tmp/exports"
missing=$(while read -r f; do [ -f "$doc/man3/$f.3" ] || echo "$f"; done <"$tmp/exports")
ok "$([ -z "$missing" ]; echo $?)" \
	"every exported function ($(wc -l <"$tmp/exports")) has a page" \
	"no page: $(echo $missing)"

# Links: one ".so man3/X.3" line to a content page.
bad=
for p in "$doc"/man3/*.3; do
	if head -1 "$p" | grep -q '^\.so '; then
		t=$(sed -n 's/^\.so //p' "$p")
		if [ "$(wc -l <"$p")" != 1 ] || [ ! -f "$doc/$t" ] ||
		   head -1 "$doc/$t" | grep -q '^\.so '; then
			bad="$bad ${p##*/}"
		elif ! sed -n '/^\.SH NAME/,/^\.SH/p' "$doc/$t" |
			grep -qw -- "$(basename "$p" .3)"; then
			bad="$bad ${p##*/}(not-named-in-${t##*/})"
		fi
	fi
done
ok "$([ -z "$bad" ]; echo $?)" \
	"every link points at a content page that names it" "bad:$bad"

bad=
for p in "$doc"/man3/*.3 "$doc"/man7/*.7; do
	head -1 "$p" | grep -q '^\.so ' && continue
	for s in NAME SYNOPSIS DESCRIPTION "RETURN VALUE" ERRORS "SEE ALSO"; do
		case ${p##*/} in libwtsvc.7) [ "$s" = "RETURN VALUE" ] ||
			[ "$s" = ERRORS ] && continue ;; esac
		grep -q "^\.SH \"\?$s\"\?\$" "$p" || bad="$bad ${p##*/}:$s"
	done
done
ok "$([ -z "$bad" ]; echo $?)" "every content page has its sections" \
	"missing:$bad"

warn=
for p in "$doc"/man3/*.3 "$doc"/man7/*.7; do
	out=$(cd "$doc" && groff -man -ww -z -Tutf8 "${p#$doc/}" 2>&1)
	[ -z "$out" ] || warn="$warn${p##*/}: $out
"
done
ok "$([ -z "$warn" ]; echo $?)" "every page renders without a groff warning" \
	"$warn"

missing=
for f in VirtualChannelEntry VirtualChannelInit VirtualChannelOpen \
	 VirtualChannelWrite VirtualChannelClose; do
	[ -f "$doc/man3/$f.3" ] || missing="$missing $f"
done
[ -f "$doc/man7/libwtsvc.7" ] || missing="$missing libwtsvc(7)"
ok "$([ -z "$missing" ]; echo $?)" \
	"the cchannel entry points and libwtsvc(7) have pages" "no page:$missing"
# The commands' pages: every program the installs put in a bin
# directory has one, and they render cleanly too.
missing=
for c in wtsvcctl.8 wtsvc-rdpd.8 man1/wtsvc-echo-plugin.1 \
	 man1/wtsvc-cliprdr-plugin.1; do
	[ -f "$doc/$c" ] || missing="$missing $c"
done
warn=
for p in "$doc"/*.8 "$doc"/man1/*.1; do
	out=$(groff -man -ww -z -Tutf8 "$p" 2>&1)
	[ -z "$out" ] || warn="$warn${p##*/}: $out
"
done
ok "$([ -z "$missing$warn" ]; echo $?)" \
	"every installed command has a page (sections 1 and 8), rendering without a groff warning" \
	"no page:$missing $warn"
echo "1..$n"
tap_end
