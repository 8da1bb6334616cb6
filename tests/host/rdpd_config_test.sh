#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# wtsvc-rdpd's configuration file and logging, without the kernel module:
# --check-config against files in a scratch folder (every option of
# --help a key, the sample rdpd.conf listing every key with its default,
# the command line over the file, bad values, unknown keys and sections,
# a missing file), then the server itself in its --inproc-echo mode
# (FreeRDP only, no wtsvc) for the log targets, the log level's hold on
# FreeRDP's own lines, and reloads on SIGHUP.  Prints TAP.
#
#   tests/host/rdpd_config_test.sh [path/to/wtsvc-rdpd]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
R=${1:-$top/build/bin/wtsvc-rdpd}
sample=$top/userspace/tools/wtsvc-rdpd/rdpd.conf
tmp=$(mktemp -d)
srv=
trap '[ -z "$srv" ] || kill "$srv" 2>/dev/null; rm -rf "$tmp"' EXIT
. "$top/tests/tap.sh"
echo "TAP version 13"
if [ ! -x "$R" ]; then
	echo "1..0 # SKIP no $R (make tools)"
	exit 0
fi
C() { "$R" --config "$tmp/f.conf" --check-config "$@"; }
# A FreeRDP 2 build refuses licensing: its keys are left at "none" there.
lic=per-user
"$R" --version 2>/dev/null | grep -q 'FreeRDP 2\.' && lic=none
conf() { printf '%s\n' "$@" >"$tmp/f.conf"; }
# The value --check-config prints for key $1 (the rest: its arguments).
val() { local k=$1; shift; C "$@" | sed -n "s/^$k = //p"; }

# The long options --help lists, less those that are no settings.
"$R" --help | grep -oE '^ +(-v, )?--[a-z][a-z-]*' | sed 's/.*--//' |
	grep -vxE 'config|check-config|version|help' | sort >"$tmp/opts"
conf "# nothing"
C | sed 's/ = .*//' | sort >"$tmp/keys"
[ -s "$tmp/opts" ] && diff "$tmp/opts" "$tmp/keys" >"$tmp/d"
ok $? "every option of --help is a key of the file, and every key an option ($(wc -l <"$tmp/opts") keys)" "$(cat "$tmp/d")"

miss=$(while read -r k; do grep -q "^#$k =" "$sample" || echo "$k"; done <"$tmp/keys")
[ -z "$miss" ]
ok $? "the sample rdpd.conf lists every key" "missing: $miss"

sed -n 's/^#\([a-z-]* = .\)/\1/p' "$sample" >"$tmp/f.conf"
"$R" --config "$sample" --check-config >"$tmp/s1" 2>&1 && C >"$tmp/s2" 2>&1 &&
	diff "$tmp/s1" "$tmp/s2" >"$tmp/d"
ok $? "the sample as it is, and with its defaults uncommented, give the same configuration" "$(cat "$tmp/d" "$tmp/s2")"

# Every key set, and printed back as it was given.
all1=(address=0.0.0.0 port=4000 cert=/x/c.crt key=/x/c.key nla=yes
      sam=/x/sam user=nobody pam-service=other multi-session=yes
      session-helper=/x/helper max-clients=7 "exec=sleep 1" desktop=xterm
      no-desktop=yes x-server=xvfb codec=planar shadow-group=wheel
      display-base=20 message-box=/x/box budget=1600 hold=65536
      licensing=$lic license-server=farm license-product=OTHER
      license-lease=9 license-grace=0 license-grace-file=/x/grace
      verbose=yes log-level=debug log-target=syslog)
printf '[rdpd]\n' >"$tmp/f.conf"
for kv in "${all1[@]}"; do
	printf '%s = %s\n' "${kv%%=*}" "${kv#*=}" >>"$tmp/f.conf"
done
printf '%s\n' "${all1[@]}" | sed 's/=/ = /' | sort >"$tmp/want"
C 2>&1 | grep -vE '^inproc-echo = $' | sort >"$tmp/got"
diff "$tmp/want" "$tmp/got" >"$tmp/d"
ok $? "every key but one read from the file and printed back as given" "$(cat "$tmp/d")"
conf "inproc-echo = 1024:100:8"
[ "$(val inproc-echo)" = 1024:100:8 ]
ok $? "and the last one, inproc-echo" "$(C 2>&1)"

conf "[rdpd]" "port = 4000" "licensing = $lic" "codec = planar" \
	"max-clients = 5"
[ "$(val port --port 5000)" = 5000 ] &&
	[ "$(val licensing --licensing none)" = none ] &&
	[ "$(val codec)" = planar ] && [ "$(val max-clients -v)" = 5 ] &&
	[ "$(val verbose -v)" = yes ]
ok $? "the command line wins over the file, key by key" "$(C --port 5000 2>&1)"

good=1
for b in yes:yes true:yes on:yes 1:yes YES:yes no:no false:no off:no 0:no; do
	conf "nla = ${b%:*}"
	[ "$(val nla)" = "${b#*:}" ] || good=0
done
[ $good = 1 ]
ok $? "booleans: yes/no, true/false, on/off, 1/0"

# Bad values: exit 1, the file, the key and the value named.
bad_ok=1 bad_out=
for kv in port=0 port=65536 port=x max-clients=4097 budget=1599 \
	  hold=1073741825 display-base=0 license-lease=0 license-grace=3651 \
	  codec=h265 licensing=per-seat nla=maybe log-level=loud \
	  log-target=file x-server=xephyr "exec=" verbose=2; do
	k=${kv%%=*} v=${kv#*=}
	conf "[rdpd]" "$k = $v"
	out=$(C 2>&1)
	rc=$?
	if [ $rc != 1 ] || ! grep -qF "$tmp/f.conf: key $k: bad value \"$v\"" <<<"$out"; then
		bad_ok=0
		bad_out+="$kv: rc $rc: $out"$'\n'
	fi
done
[ $bad_ok = 1 ]
ok $? "bad values: exit 1, naming the file, key and value (17 cases)" "$bad_out"

conf "[rdpd]" "port = 4000" "prot = 4001"
out=$(C 2>&1)
[ $? = 1 ] && grep -qF "$tmp/f.conf: unknown key \"prot\"" <<<"$out"
ok $? "an unknown key: exit 1, named" "$out"
conf "[server]" "port = 4000"
out=$(C 2>&1)
[ $? = 1 ] && grep -qF "line 1: [server]: the only section is [rdpd]" <<<"$out"
ok $? "an unknown section: exit 1, named with its line" "$out"
conf "[rdpd]" "" "  # indented comment" "port 4000"
out=$(C 2>&1)
[ $? = 1 ] && grep -qF "line 4: \"port 4000\" is not KEY = VALUE" <<<"$out"
ok $? "a line that is no KEY = VALUE: exit 1, with its line number" "$out"
conf "  ; comments" "port = 4000   " "" "address=\"10.0.0.1\"" "[rdpd]" \
	"# more" "max-clients = 2"
[ "$(val port)" = 4000 ] && [ "$(val address)" = 10.0.0.1 ] &&
	[ "$(val max-clients)" = 2 ]
ok $? "keys before the [rdpd] header, comments, blank lines, quotes, spaces" "$(C 2>&1)"
: >"$tmp/f.conf"
C >/dev/null 2>&1
ok $? "an empty file is no error"

out=$("$R" --config "$tmp/none.conf" --check-config 2>&1)
[ $? = 1 ] && grep -qF "$tmp/none.conf: No such file or directory" <<<"$out"
ok $? "--config naming a missing file: exit 1, named" "$out"
if [ -e /etc/wtsvc/rdpd.conf ]; then
	ok 0 "no --config and no /etc/wtsvc/rdpd.conf: the defaults # SKIP this host has one"
else
	[ "$("$R" --check-config 2>&1 | sed -n 's/^port = //p')" = 3389 ]
	ok $? "no --config and no /etc/wtsvc/rdpd.conf: the defaults"
fi
conf "port = 4000"
out=$(C --port 0 2>&1)
[ $? = 2 ] && grep -qF -- '--port "0": a number from 1 to 65535' <<<"$out"
ok $? "a bad value on the command line: exit 2 (usage), named" "$out"
conf "sam = /x/sam"
out=$(C 2>&1)
[ $? = 1 ] && grep -q 'sam needs --nla' <<<"$out"
ok $? "options that do not go together, from the file: exit 1" "$out"

# The server itself, in its --inproc-echo mode: no wtsvc, no logons.
port=$((20000 + RANDOM % 20000))
# run LOG ARGS...: until it listens (or fails; or for a second with
# quiet=1: it logs nothing); sets $srv (its pid: signals go to it).
run() {
	local log=$1
	shift
	"$R" --inproc-echo 1024:1:1 --port "$port" \
		--cert "$tmp/c.crt" --key "$tmp/c.key" "$@" >"$log" 2>&1 &
	srv=$!
	if [ "${quiet:-0}" = 1 ]; then
		sleep 1
		kill -0 "$srv" 2>/dev/null
		return
	fi
	for _ in $(seq 100); do
		grep -q "listening on\|Listening on" "$log" && return 0
		kill -0 "$srv" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
stop() { kill "$srv" 2>/dev/null; wait "$srv"; local rc=$?; srv=; return $rc; }
for t in syslog journal stderr; do
	port=$((port + 1))
	conf "log-target = $t"
	quiet=$([ $t = stderr ] && echo 0 || echo 1) \
		run "$tmp/$t.log" --config "$tmp/f.conf" --log-level debug
	sleep 0.3
	kill -0 "$srv" 2>/dev/null && stop
	rc=$?
	[ $rc = 0 ] && { [ $t = stderr ] || ! grep -q 'wtsvc-rdpd\[' "$tmp/$t.log"; }
	ok $? "--log-target $t: it runs and stops (exit 0)$([ $t = stderr ] || echo ', nothing on stderr')" \
		"rc $rc: $(cat "$tmp/$t.log")"
done
grep -qE '^wtsvc-rdpd\[[0-9]+\.[0-9]{3}\]: listening on 127\.0\.0\.1:[0-9]+ \(TLS\), sessions owned by uid' "$tmp/stderr.log" &&
	grep -qE '^\[[0-9:]+\] \[[0-9]+:[0-9a-f]+\] \[INFO\]\[com\.freerdp\.core\.listener\] - ' "$tmp/stderr.log"
ok $? "on stderr: rdpd's lines and FreeRDP's as they always were" "$(cat "$tmp/stderr.log")"

# What reaches the journal's socket, in a mount namespace of our own
# with a tmpfs on /run/systemd (root, unshare): --log-target journal, and
# auto when $JOURNAL_STREAM names stderr.
cat >"$tmp/jl.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(3)
with open(sys.argv[2], 'wb') as out:
    try:
        while True:
            out.write(s.recv(65536).replace(b'\n', b'|') + b'\n')
            out.flush()
    except socket.timeout:
        pass
PY
journal_run() {	# OUT ARGS...: the datagrams, one a line
	local out=$1
	shift
	port=$((port + 1))
	unshare -m bash -c '
		mount -t tmpfs none /run/systemd && mkdir /run/systemd/journal &&
		{ python3 "$0" /run/systemd/journal/socket "$1" &
		  for i in $(seq 50); do
			[ -S /run/systemd/journal/socket ] && break; sleep 0.1
		  done
		  timeout -s INT 1.5 "$2" --inproc-echo 1024:1:1 --port "$3" \
			--cert "$4/c.crt" --key "$4/c.key" "${@:5}"; wait; }' \
		"$tmp/jl.py" "$out" "$R" "$port" "$tmp" "$@" >"$out.err" 2>&1
}
if [ "$(id -u)" = 0 ] && [ -d /run/systemd ] && unshare -m true 2>/dev/null &&
		command -v python3 >/dev/null; then
	journal_run "$tmp/j1" --log-target journal
	grep -q '^MESSAGE=listening on 127.0.0.1:[0-9]* (TLS).*|PRIORITY=5|SYSLOG_IDENTIFIER=wtsvc-rdpd|$' "$tmp/j1" &&
		grep -q '^MESSAGE=\[com.freerdp.core.listener\] .*Listening on .*|PRIORITY=6|.*CODE_FUNC=' "$tmp/j1" &&
		[ ! -s "$tmp/j1.err" ]
	ok $? "--log-target journal: rdpd's lines and FreeRDP's reach the journal with their priority" \
		"$(cat "$tmp/j1" "$tmp/j1.err")"
	: >"$tmp/j2.err"
	JOURNAL_STREAM=$(stat -c %d:%i "$tmp/j2.err") journal_run "$tmp/j2"
	grep -q '^MESSAGE=listening on' "$tmp/j2" && [ ! -s "$tmp/j2.err" ]
	ok $? "--log-target auto with \$JOURNAL_STREAM naming stderr: the journal" \
		"$(cat "$tmp/j2" "$tmp/j2.err")"
else
	ok 0 "--log-target journal # SKIP not root, or no unshare"
	ok 0 "--log-target auto # SKIP not root, or no unshare"
fi

port=$((port + 1))
quiet=1 run "$tmp/warn.log" --log-level warning
ok $? "--log-level warning: it starts" "$(cat "$tmp/warn.log")"
sleep 0.3
stop
port=$((port + 1))
WLOG_LEVEL=INFO run "$tmp/wlog.log" --log-level warning
sleep 0.3
stop
! grep -q 'listening on\|Listening on\|stopped' "$tmp/warn.log" &&
	grep -q 'Listening on' "$tmp/wlog.log" &&
	! grep -q 'wtsvc-rdpd\[' "$tmp/wlog.log"
ok $? "--log-level warning holds back rdpd's and FreeRDP's info lines; WLOG_LEVEL still rules FreeRDP's" \
	"$(cat "$tmp/warn.log" "$tmp/wlog.log")"

# Reloads.
port=$((port + 1))
conf "[rdpd]" "max-clients = 4"
run "$tmp/hup.log" --config "$tmp/f.conf"
hup() {	# the number of lines before: wait for a new one matching $1
	local before
	before=$(wc -l <"$tmp/hup.log")
	kill -HUP "$srv"
	for _ in $(seq 50); do
		tail -n +$((before + 1)) "$tmp/hup.log" | grep -q "$1" && return 0
		sleep 0.1
	done
	return 1
}
conf "[rdpd]" "max-clients = 8" "log-level = debug" "codec = planar" "license-grace = 3"
hup 'reload: log-level: "info" -> "debug"' &&
	grep -q 'reload: max-clients: "4" -> "8"$' "$tmp/hup.log" &&
	grep -q 'reload: license-grace: "120" -> "3"$' "$tmp/hup.log" &&
	grep -q 'reload: codec: "auto" -> "planar" needs a restart; "auto" until then' "$tmp/hup.log"
ok $? "SIGHUP: live keys changed and logged, a restart-only key logged as such (the command line's --port stays)" "$(cat "$tmp/hup.log")"
conf "[rdpd]" "max-clients = 0"
hup "reload: $tmp/f.conf: key max-clients: bad value \"0\".*stays as it was" &&
	kill -0 "$srv"
ok $? "a bad file at a reload: an error, and the server goes on as it was" "$(tail -3 "$tmp/hup.log")"
conf "[rdpd]" "max-clients = 8" "log-level = debug" "codec = planar" "license-grace = 3"
hup 'needs a restart' && tail -1 "$tmp/hup.log" | grep -q 'reload: codec' &&
	tail -2 "$tmp/hup.log" | head -1 | grep -q 'stays as it was'
ok $? "the old configuration was kept: only the restart-only key differs again" "$(tail -3 "$tmp/hup.log")"
conf "[rdpd]" "log-level = error"
hup 'reload: log-level: "debug" -> "error"'
ok $? "the level changes live" "$(tail -3 "$tmp/hup.log")"
conf "[rdpd]" "log-level = error" "codec = remotefx"
n1=$(wc -l <"$tmp/hup.log")
kill -HUP "$srv"
sleep 0.5
stop
rc=$?
[ $rc = 0 ] && [ "$(wc -l <"$tmp/hup.log")" = "$n1" ]
ok $? "at level error a reload's warnings are not logged, and SIGTERM ends it (exit 0)" "rc $rc: $(tail -3 "$tmp/hup.log")"

# The other FreeRDP generation's build: the same keys.
R2=$top/build/bin/wtsvc-rdpd-freerdp2
if [ -x "$R2" ] && [ "$R" = "$top/build/bin/wtsvc-rdpd" ]; then
	conf "port = 4000" "codec = planar"
	"$R2" --config "$tmp/f.conf" --check-config --port 5000 >"$tmp/o2" 2>&1 &&
		C --port 5000 >"$tmp/o3" 2>&1 && diff "$tmp/o2" "$tmp/o3" >"$tmp/d"
	ok $? "$(basename "$R2") reads the file alike" "$(cat "$tmp/d" "$tmp/o2")"
	conf "licensing = per-device"
	out=$("$R2" --config "$tmp/f.conf" --check-config 2>&1)
	[ $? = 1 ] && grep -q 'needs the FreeRDP 3 build' <<<"$out"
	ok $? "and refuses licensing, which it cannot do" "$out"
fi

u=$top/userspace/tools/wtsvc-rdpd/wtsvc-rdpd.service
grep -qx 'Type=notify' "$u" && grep -qx 'ExecReload=/bin/kill -HUP $MAINPID' "$u" &&
	grep -qx 'ExecStart=/usr/bin/wtsvc-rdpd' "$u"
ok $? "the unit: Type=notify, reload by SIGHUP"
echo "1..$n"
tap_end
