# SPDX-License-Identifier: GPL-2.0
#
# The message boxes wtsvc-rdpd logged (messages.c: "message ID: shown at
# X,Y WxH", "... icon at ...", "... button ID at ..."), and how they look
# in the client's window (wtsvc-screen-check on $rig_display).  Sourced
# after rdp_rig.sh; uses $tmp/rdpd.log and $D (build/desktop).

# "ID X Y W H" of the Nth box shown.
box() {	# N
	sed -n 's/.*message \([0-9]*\): shown at \([0-9]*\),\([0-9]*\) \([0-9]*\)x\([0-9]*\).*/\1 \2 \3 \4 \5/p' \
		"$tmp/rdpd.log" | sed -n "${1}p"
}
boxes_shown() { grep -c ": shown at " "$tmp/rdpd.log"; }
boxes_at_least() { [ "$(boxes_shown)" -ge "$1" ]; }	# N
# "X Y W H" of a part of message MSG: "icon", "button ID", "button [0-9]*".
box_part() {	# MSG PART
	sed -n "s/.*message $1: $2 at \([0-9]*\),\([0-9]*\) \([0-9]*\)x\([0-9]*\).*/\1 \2 \3 \4/p" \
		"$tmp/rdpd.log"
}
# The centre of button ID of message MSG, in the session's coordinates.
button_centre() {	# MSG ID
	box_part "$1" "button $2" | awk '{ print $1 + int($3 / 2), $2 + int($4 / 2) }'
}
# The Nth box in the client's window, saved to PNG: its title bar (its
# own, no window manager: the right half, clear of a short title); with
# MSG, each button's face (its left strip, clear of the label) and, unless
# ICON-RGB is -, its icon in that colour (a part of the disc or triangle
# clear of the sign).  Colours within 8: the codec is lossless.
box_in_client() {	# PNG N [MSG ICON-RGB|-]
	local b x y w h args
	b=($(box "$2"))
	[ ${#b[@]} = 5 ] || return 1
	args=(--color "$((b[1] + b[3] / 2)),$((b[2] + 3)),$((b[3] / 2 - 8)),14,1f4e9a")
	if [ -n "${3:-}" ] && [ "$4" != - ]; then
		read -r x y w h < <(box_part "$3" icon)
		if [ "$4" = f9c40f ]; then	# the triangle's lower left
			args+=(--color "$((x + 5)),$((y + 23)),8,8,$4")
		else				# the disc's left
			args+=(--color "$((x + 3)),$((y + 12)),8,8,$4")
		fi
	fi
	[ -n "${3:-}" ] && while read -r x y w h; do
		args+=(--color "$((x + 2)),$((y + 4)),10,20,e1e1e1")
	done < <(box_part "$3" "button [0-9]*")
	DISPLAY=$rig_display "$D/wtsvc-screen-check" --window FreeRDP \
		"${args[@]}" --tolerance 8 --wait 30 --png "$1"
}
