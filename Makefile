# SPDX-License-Identifier: GPL-2.0
#
# wtsvc top-level Makefile.
#
#   make run      install dependencies, build everything, boot a test VM,
#                 load wtsvc.ko and run the demonstration, then the session
#                 host in a systemd guest (the main job)
#   make check    install dependencies, build everything and run every
#                 test suite (scripts/check.sh: 6.1, 6.12, 7.3, 6.12-rt,
#                 Debian 13, the debug kernel); ends with "N passed, N failed"
#   make bench    the benchmark: wtsvc against sockets, pipes and memcpy in
#                 one guest boot; table, JSON, CSV and plots in build/bench
#   make bench-rdp  ECHO through wtsvc-rdpd against FreeRDP's in-process
#                 channels, with xfreerdp, in one guest boot
#
# Other targets: deps, modules, selftests, libtests, hosttests, tools,
# ring-instructions (instructions per message of the ring code, callgrind),
# checkpatch, install (the library), install-tools (wtsvcctl), install-rdpd
# (the RDP server), install-dkms (the module's DKMS source tree),
# install-module-config (modules-load.d, sysusers.d, udev rule, modprobe.d),
# uninstall, install-module (on a host that can load modules, without
# DKMS), debs (the Debian packages), clean.

SHELL := /bin/bash
TOP := $(CURDIR)
BUILD ?= $(TOP)/build
KSRC ?= $(BUILD)/ksrc
SERIES := $(shell $(TOP)/scripts/kernels.sh)

CC ?= gcc
CXX ?= g++
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer
# CPPFLAGS, CFLAGS and LDFLAGS from the environment or the command line
# come last (a distribution's hardening and optimization flags, e.g.
# dpkg-buildflags in debian/rules); gcc ignores the linker's when it only
# compiles.
USER_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
	       -I$(TOP)/include/uapi $(CPPFLAGS) $(CFLAGS) $(LDFLAGS)
TEST_CFLAGS := $(USER_CFLAGS) $(SANITIZE) -I$(KSRC)/tools/testing/selftests \
	       -Wno-unused-parameter -Wno-sign-compare \
	       -Wno-misleading-indentation

# Kernel-ABI selftests (tests/selftests): the raw ioctls, no library;
# three drive the mapped rings with libwtsvc's ring functions
# (SELFTESTS_RING).  Library tests (tests/lib) link the sanitized
# libwtsvc.a.  All of them run in the VM (scripts/check.sh).
SELFTESTS := sessions_test channels_test data_test manager_group_test \
	     ring_test ring_peer_test stress_test framing_test procs_test \
	     events_test requests_test listeners_test channel_list_test \
	     abi_control_test abi_session_test abi_msg_limit_test \
	     ucmd_result_test wakeup_test fault_inject_test
SELFTESTS_RING := ring_test ring_peer_test stress_test framing_test
LIBTESTS := wtsapi_test cchannel_test winpr_test wts_servers_test \
	    wts_sessions_test wts_processes_test wts_control_test \
	    wts_protocol_test wts_events_test wts_listeners_test \
	    wts_users_test

# libwtsvc: one folder of userspace/lib per public header it implements.
#   core/      handles, last error, WTS memory, text encodings, the control
#              and session devices, io_uring waits: what the others use
#   wtsapi/    wtsapi.h: servers, sessions, processes, events, listeners,
#              user configuration
#   vchannel/  wtsapi.h's WTSVirtualChannel*, wtsvc.h's wtsvc_channel_*
#   cchannel/  cchannel.h's entry points, hosted by wtsvc.h's wtsvc_client_*
#   ring/      ring.h
#   wtsvc/     wtsvc.h's own API: session manager, protocol end, WinPR table
# A wtsvc.h extension of a WTS object lives with that object's code and
# private struct (channel handles in vchannel/, session notifications and
# user tokens in wtsapi/, the plugin host in cchannel/); wtsvc/ holds what
# extends no WTS object.  Internal headers stay in their folder; core/ and
# ring/ are on the include path because core_internal.h serves every
# folder and ring_internal.h the host ring tests.  The version script
# libwtsvc.map alone decides what the shared object exports
# (tests/host/exports_test.sh checks it against the headers).
LIB_SRCS := $(wildcard $(TOP)/userspace/lib/*/*.c)
LIB_HDRS := $(wildcard $(TOP)/include/wtsvc/*.h) \
	    $(wildcard $(TOP)/userspace/lib/*/*.h) $(TOP)/common/ring_core.h
LIB_CFLAGS := -I$(TOP)/include -I$(TOP)/common -I$(TOP)/userspace/lib/core \
	      -I$(TOP)/userspace/lib/ring \
	      $(shell pkg-config --cflags libpq 2>/dev/null)
LIB_MAP := $(TOP)/userspace/lib/libwtsvc.map
# ar keeps archive members by file name: two sources of one name would
# leave one of them out of libwtsvc.a.
ifneq ($(words $(notdir $(LIB_SRCS))),$(words $(sort $(notdir $(LIB_SRCS)))))
$(error userspace/lib: two source files share a name)
endif
# The license store (licensing/): SQLite, PostgreSQL's client, inih for
# licensing.conf, OpenSSL's libcrypto for the server's certificates.
LIB_LIBS := -lsystemd -luring -lpthread -ldl -lsqlite3 -lpq -linih -lcrypto
# The library's version: version.h says it (WTSVC_VERSION_STRING).
LIB_VERSION := $(shell sed -n 's/^\#define WTSVC_VERSION_STRING[[:space:]]*"\(.*\)"/\1/p' \
		 $(TOP)/include/wtsvc/version.h)
LIB_SONAME := libwtsvc.so.0
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
# PAM service files are read from /etc/pam.d whatever the prefix.
PAMDIR ?= /etc/pam.d
SYSCONFDIR ?= /etc
LIBEXECDIR ?= $(PREFIX)/libexec
SYSTEMDLIBDIR ?= $(PREFIX)/lib
SYSTEMDUNITDIR ?= $(SYSTEMDLIBDIR)/systemd/system
PUBLIC_HDRS := wintypes.h pchannel.h wtsapi.h cchannel.h wtsvc.h ring.h tlsapi.h \
	       version.h
SELFTEST_BINS := $(addprefix $(BUILD)/selftests/,$(SELFTESTS))
LIBTEST_BINS := $(addprefix $(BUILD)/lib-tests/,$(LIBTESTS))
STORM_BINS := $(BUILD)/storm/wtsvc-kill-storm $(BUILD)/storm/wtsvc-soak
FUZZ_BIN := $(BUILD)/fuzz/wtsvc-fuzz
HOSTTEST_BINS := $(BUILD)/host/names_test $(BUILD)/host/uapi_c_test \
		 $(BUILD)/host/uapi_cxx_test $(BUILD)/host/ring_core_test \
		 $(BUILD)/host/headers_c_test $(BUILD)/host/headers_cxx_test \
		 $(BUILD)/host/bench_test $(BUILD)/host/licensing_test \
		 $(BUILD)/host/version_test
LIB_BINS := $(BUILD)/lib/libwtsvc.a $(BUILD)/lib/$(LIB_SONAME) \
	    $(BUILD)/lib/pkgconfig/wtsvc.pc
# FreeRDP: FREERDP=3|2 picks the generation of build/bin/wtsvc-rdpd (the
# one installed); the other one, when pkg-config finds it, is built too, as
# build/bin/wtsvc-rdpd-freerdp2 (or -freerdp3).  WinPR-only test programs:
# winpr-* against WinPR 2, winpr3-* against WinPR 3, each when found.
FREERDP ?= 3
ifeq ($(filter 2 3,$(FREERDP)),)
$(error FREERDP must be 3 or 2, not "$(FREERDP)")
endif
FREERDP_OTHER := $(if $(filter 3,$(FREERDP)),2,3)
pc_exists = $(shell pkg-config --exists $(1) && echo yes)
RDPD_BINS := $(BUILD)/bin/wtsvc-rdpd \
	$(if $(call pc_exists,freerdp-server$(FREERDP_OTHER) \
		freerdp$(FREERDP_OTHER) winpr$(FREERDP_OTHER)), \
		$(BUILD)/bin/wtsvc-rdpd-freerdp$(FREERDP_OTHER))
WINPR_BINS := $(if $(call pc_exists,winpr2),$(BUILD)/bin/winpr-echo-app \
		$(BUILD)/bin/winpr-dvc-echo) \
	      $(if $(call pc_exists,winpr3),$(BUILD)/bin/winpr3-echo-app \
		$(BUILD)/bin/winpr3-dvc-echo)
RDP_BINS := $(RDPD_BINS) $(BUILD)/bin/wtsvc-rdpd-session \
	    $(BUILD)/bin/wtsvc-echo-plugin \
	    $(BUILD)/bin/wtsvc-cliprdr-plugin
# The message box wtsvc-rdpd shows for WTSSendMessage; the desktop tests'
# X clients: one paints a pattern on a session's display and logs its
# input, one reads a window and checks what it shows.
DESKTOP_BINS := $(BUILD)/bin/wtsvc-msgbox $(BUILD)/desktop/wtsvc-pattern \
		$(BUILD)/desktop/wtsvc-screen-check $(BUILD)/desktop/wtsvc-frames
TOOL_BINS := $(BUILD)/bin/wtsvc-demo $(LIB_BINS) $(WINPR_BINS) \
	     $(BUILD)/bin/wtsvcctl \
	     $(BUILD)/bin/wtsvc-bench $(RDP_BINS) $(DESKTOP_BINS)
CTL_SRCS := $(wildcard $(TOP)/userspace/tools/wtsvcctl/*.c)
BENCH_SRCS := $(wildcard $(TOP)/userspace/tools/wtsvc-bench/*.c)
UAPI := $(TOP)/include/uapi/linux/wtsvc.h

.PHONY: ring-instructions bench-desktop all deps modules selftests libtests hosttests tools lib checkpatch \
	run check check-debug fuzz bench bench-host bench-rdp install \
	install-tools install-rdpd uninstall install-module install-dkms \
	install-module-config installables debs clean

all: modules lib selftests libtests hosttests tools

deps:
	@$(TOP)/scripts/deps.sh

# The module for every test kernel (scripts/kernels.sh fetches and unpacks
# Debian's packages under build/kernels; nothing is installed).
modules:
	@for s in $(SERIES); do \
		d=$$($(TOP)/scripts/kernels.sh $$s) || exit 1; \
		k=$$(cat $$d/release); \
		$(TOP)/scripts/build-kmod.sh $$k $(BUILD)/kmod/$$k $$d/kdir || exit 1; \
	done

$(KSRC)/.extracted:
	@$(TOP)/scripts/extract-ksrc.sh $(KSRC)

selftests: $(SELFTEST_BINS) $(STORM_BINS) $(FUZZ_BIN)

libtests: $(LIBTEST_BINS)

# The tests' copy of the library: built once with ASan and UBSan, objects
# mirroring userspace/lib's folders.
LIB_SAN := $(BUILD)/lib-san/libwtsvc.a
LIB_SAN_OBJS := $(patsubst $(TOP)/userspace/lib/%.c,$(BUILD)/lib-san/obj/%.o,$(LIB_SRCS))

$(BUILD)/lib-san/obj/%.o: $(TOP)/userspace/lib/%.c $(LIB_HDRS) $(UAPI)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(SANITIZE) $(LIB_CFLAGS) -c -o $@ $<

$(LIB_SAN): $(LIB_SAN_OBJS)
	rm -f $@
	ar rcs $@ $^

# Selftests, with ASan and UBSan: the kernel ABI alone...
$(BUILD)/selftests/%: $(TOP)/tests/selftests/%.c \
		$(TOP)/tests/selftests/wtsvc_util.h $(UAPI) $(KSRC)/.extracted
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $< -luring -lpthread

# ... or with the ring functions of the library (only they are linked in).
$(addprefix $(BUILD)/selftests/,$(SELFTESTS_RING)): $(BUILD)/selftests/%: \
		$(TOP)/tests/selftests/%.c $(TOP)/tests/selftests/wtsvc_util.h \
		$(UAPI) $(KSRC)/.extracted $(LIB_HDRS) $(LIB_SAN)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -I$(TOP)/include -o $@ $< $(LIB_SAN) $(LIB_LIBS)

# The abi_* tests of the two devices share one fixture.
$(BUILD)/selftests/abi_control_test $(BUILD)/selftests/abi_session_test: \
		$(TOP)/tests/selftests/abi_size.h

# Library tests: the public API, against the sanitized library.
$(BUILD)/lib-tests/%: $(TOP)/tests/lib/%.c $(TOP)/tests/lib/wts_fixture.h \
		$(TOP)/tests/selftests/wtsvc_util.h $(UAPI) $(KSRC)/.extracted \
		$(LIB_HDRS) $(LIB_SAN)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -I$(TOP)/include -o $@ $< $(LIB_SAN) $(LIB_LIBS)

# The kill storm and the soak (tests/storm), against the sanitized library;
# built with the selftests, run in the VM for --duration seconds.
STORM_SHARED := $(TOP)/tests/storm/common.c $(TOP)/tests/storm/msg.c
STORM_DEPS := $(TOP)/tests/storm/storm.h $(TOP)/tests/selftests/wtsvc_util.h \
	      $(UAPI) $(LIB_HDRS) $(LIB_SAN) $(KSRC)/.extracted
$(BUILD)/storm/wtsvc-kill-storm: $(TOP)/tests/storm/kill_storm.c \
		$(TOP)/tests/storm/storm_end.c $(TOP)/tests/storm/kill_storm.h
$(BUILD)/storm/wtsvc-soak: $(TOP)/tests/storm/soak.c \
		$(TOP)/tests/storm/soak_flow.c $(TOP)/tests/storm/soak.h
$(STORM_BINS): $(STORM_SHARED) $(STORM_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -I$(TOP)/include -I$(TOP)/tests/selftests \
		-o $@ $(filter %.c,$^) $(LIB_SAN) $(LIB_LIBS)

# The ABI fuzzer (tests/fuzz), against the sanitized library; built with
# the selftests, run in the VM for --duration seconds (`make fuzz`).
FUZZ_SRCS := $(wildcard $(TOP)/tests/fuzz/*.c)
$(FUZZ_BIN): $(FUZZ_SRCS) $(TOP)/tests/fuzz/fuzz.h \
		$(TOP)/tests/selftests/wtsvc_util.h $(UAPI) $(LIB_HDRS) $(LIB_SAN)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(SANITIZE) -I$(TOP)/include -o $@ $(FUZZ_SRCS) \
		$(LIB_SAN) $(LIB_LIBS)

# The library itself, optimised: static, shared (-Bsymbolic: WinPR's
# exported, table-forwarding WTS* functions of the same names never
# interpose on its own calls, so the compiler may assume so too:
# -fno-semantic-interposition), pkg-config.  Objects mirror the folders.
LIB_OBJS := $(patsubst $(TOP)/userspace/lib/%.c,$(BUILD)/lib/obj/%.o,$(LIB_SRCS))

lib: $(LIB_BINS)

$(BUILD)/lib/obj/%.o: $(TOP)/userspace/lib/%.c $(LIB_HDRS) $(UAPI)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(LIB_CFLAGS) -O2 -fPIC \
		-fno-semantic-interposition -c -o $@ $<

$(BUILD)/lib/libwtsvc.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/lib/$(LIB_SONAME): $(LIB_OBJS) $(LIB_MAP)
	$(CC) $(LDFLAGS) -shared -Wl,-soname,$(LIB_SONAME) -Wl,-Bsymbolic \
		-Wl,--no-undefined -Wl,--version-script=$(LIB_MAP) \
		-o $(BUILD)/lib/libwtsvc.so.$(LIB_VERSION) $(LIB_OBJS) $(LIB_LIBS)
	ln -sf libwtsvc.so.$(LIB_VERSION) $@
	ln -sf $(LIB_SONAME) $(BUILD)/lib/libwtsvc.so

# The pkg-config file names the install's directories: it is made again
# whenever PREFIX, LIBDIR, INCLUDEDIR or the version differ from the last
# time (the stamp holds them).
PC_DIRS := $(PREFIX)|$(LIBDIR)|$(INCLUDEDIR)|$(LIB_VERSION)
PC_STAMP := $(BUILD)/lib/pkgconfig/.dirs
ifneq ($(shell cat $(PC_STAMP) 2>/dev/null),$(PC_DIRS))
$(shell mkdir -p $(BUILD)/lib/pkgconfig && echo '$(PC_DIRS)' > $(PC_STAMP))
endif

$(BUILD)/lib/pkgconfig/wtsvc.pc: $(TOP)/userspace/lib/wtsvc.pc.in $(PC_STAMP)
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(LIB_VERSION)|' $< > $@

# Three installs, each with its uninstall: the library (no FreeRDP
# needed), wtsvcctl, and the RDP server with its plugins (build/bin's
# wtsvc-rdpd: FreeRDP $(FREERDP)).  DESTDIR, PREFIX, LIBDIR, INCLUDEDIR,
# MANDIR, BASHCOMPDIR and PAMDIR say where.
MANDIR ?= $(PREFIX)/share/man
INSTALL_RDP_BINS := $(BUILD)/bin/wtsvc-rdpd $(BUILD)/bin/wtsvc-rdpd-session \
		    $(BUILD)/bin/wtsvc-msgbox $(BUILD)/bin/wtsvc-echo-plugin \
		    $(BUILD)/bin/wtsvc-cliprdr-plugin
LIB_INSTALLED := $(LIBDIR)/libwtsvc.a $(LIBDIR)/libwtsvc.so.$(LIB_VERSION) \
		 $(LIBDIR)/$(LIB_SONAME) $(LIBDIR)/libwtsvc.so \
		 $(LIBDIR)/pkgconfig/wtsvc.pc \
		 $(addprefix $(INCLUDEDIR)/wtsvc/,$(PUBLIC_HDRS)) \
		 $(INCLUDEDIR)/linux/wtsvc.h
MAN_PAGES := $(wildcard $(TOP)/Documentation/man3/*.3) \
	     $(wildcard $(TOP)/Documentation/man7/*.7)
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
LIB_INSTALLED += $(patsubst $(TOP)/Documentation/%,$(MANDIR)/%,$(MAN_PAGES))
TOOLS_INSTALLED := $(PREFIX)/bin/wtsvcctl $(MANDIR)/man8/wtsvcctl.8 \
		   $(BASHCOMPDIR)/wtsvcctl
RDPD_MAN1 := $(wildcard $(TOP)/Documentation/man1/*.1)
# The session leader and the message box are wtsvc-rdpd's helpers, not
# commands: LIBEXECDIR/wtsvc (wtsvc-rdpd looks there, built with it).
RDPD_HELPERS := $(BUILD)/bin/wtsvc-rdpd-session $(BUILD)/bin/wtsvc-msgbox
RDPD_INSTALLED := $(addprefix $(PREFIX)/bin/,$(notdir $(filter-out \
		  $(RDPD_HELPERS),$(INSTALL_RDP_BINS)))) \
		  $(addprefix $(LIBEXECDIR)/wtsvc/,$(notdir $(RDPD_HELPERS))) \
		  $(SYSCONFDIR)/wtsvc/rdpd.conf $(SYSTEMDUNITDIR)/wtsvc-rdpd.service \
		  $(PAMDIR)/wtsvc-rdpd $(MANDIR)/man8/wtsvc-rdpd.8 \
		  $(patsubst $(TOP)/Documentation/%,$(MANDIR)/%,$(RDPD_MAN1))

# The Debian packages, in build/debs (scripts/build-debs.sh: the working
# tree built with dpkg-buildpackage -b, then lintian).
debs:
	@$(TOP)/scripts/build-debs.sh $(BUILD)/debs

# Everything the three installs put in place, built (debian/rules).
installables: $(LIB_BINS) $(BUILD)/bin/wtsvcctl $(INSTALL_RDP_BINS)

install: $(LIB_BINS)
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/wtsvc \
		$(DESTDIR)$(INCLUDEDIR)/linux
	install -m 0644 $(BUILD)/lib/libwtsvc.a $(DESTDIR)$(LIBDIR)/
	install -m 0755 $(BUILD)/lib/libwtsvc.so.$(LIB_VERSION) \
		$(DESTDIR)$(LIBDIR)/
	ln -sf libwtsvc.so.$(LIB_VERSION) $(DESTDIR)$(LIBDIR)/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libwtsvc.so
	install -m 0644 $(BUILD)/lib/pkgconfig/wtsvc.pc \
		$(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 0644 $(addprefix $(TOP)/include/wtsvc/,$(PUBLIC_HDRS)) \
		$(DESTDIR)$(INCLUDEDIR)/wtsvc/
	install -m 0644 $(UAPI) $(DESTDIR)$(INCLUDEDIR)/linux/wtsvc.h
	install -d $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man7
	install -m 0644 $(filter %.3,$(MAN_PAGES)) $(DESTDIR)$(MANDIR)/man3/
	install -m 0644 $(filter %.7,$(MAN_PAGES)) $(DESTDIR)$(MANDIR)/man7/

install-tools: $(BUILD)/bin/wtsvcctl
	install -D -m 0755 $(BUILD)/bin/wtsvcctl $(DESTDIR)$(PREFIX)/bin/wtsvcctl
	install -D -m 0644 $(TOP)/Documentation/wtsvcctl.8 \
		$(DESTDIR)$(MANDIR)/man8/wtsvcctl.8
	install -D -m 0644 $(TOP)/userspace/tools/wtsvcctl/wtsvcctl.bash-completion \
		$(DESTDIR)$(BASHCOMPDIR)/wtsvcctl

install-rdpd: $(INSTALL_RDP_BINS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(LIBEXECDIR)/wtsvc
	install -m 0755 $(filter-out $(RDPD_HELPERS),$(INSTALL_RDP_BINS)) \
		$(DESTDIR)$(PREFIX)/bin/
	install -m 0755 $(RDPD_HELPERS) $(DESTDIR)$(LIBEXECDIR)/wtsvc/
	install -D -m 0644 $(TOP)/userspace/tools/wtsvc-rdpd/wtsvc-rdpd.pam \
		$(DESTDIR)$(PAMDIR)/wtsvc-rdpd
	install -D -m 0644 $(TOP)/userspace/tools/wtsvc-rdpd/rdpd.conf \
		$(DESTDIR)$(SYSCONFDIR)/wtsvc/rdpd.conf
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	sed 's|^ExecStart=/usr/bin/|ExecStart=$(PREFIX)/bin/|' \
		$(TOP)/userspace/tools/wtsvc-rdpd/wtsvc-rdpd.service \
		> $(DESTDIR)$(SYSTEMDUNITDIR)/wtsvc-rdpd.service
	install -m 0644 $(TOP)/Documentation/wtsvc-rdpd.8 \
		$(DESTDIR)$(MANDIR)/man8/
	install -d $(DESTDIR)$(MANDIR)/man1
	install -m 0644 $(RDPD_MAN1) $(DESTDIR)$(MANDIR)/man1/

# The module's source tree for DKMS (/usr/src/wtsvc-<version>: dkms.conf,
# kmod/, include/uapi/, common/), then "dkms install wtsvc/<version>".
DKMS_SRCDIR ?= /usr/src
DKMS_TREE := $(DKMS_SRCDIR)/wtsvc-$(LIB_VERSION)
KMOD_SRCS := $(wildcard $(TOP)/kmod/*.c $(TOP)/kmod/*.h)
install-dkms:
	install -d $(DESTDIR)$(DKMS_TREE)/kmod/probes \
		$(DESTDIR)$(DKMS_TREE)/include/uapi/linux \
		$(DESTDIR)$(DKMS_TREE)/common
	install -m 0644 $(TOP)/dkms.conf $(DESTDIR)$(DKMS_TREE)/
	install -m 0644 $(TOP)/kmod/Kbuild $(KMOD_SRCS) $(DESTDIR)$(DKMS_TREE)/kmod/
	install -m 0644 $(wildcard $(TOP)/kmod/probes/*.c) \
		$(DESTDIR)$(DKMS_TREE)/kmod/probes/
	install -m 0755 $(TOP)/kmod/probes/run.sh $(DESTDIR)$(DKMS_TREE)/kmod/probes/
	install -m 0644 $(UAPI) $(DESTDIR)$(DKMS_TREE)/include/uapi/linux/
	install -m 0644 $(wildcard $(TOP)/common/*.h) $(DESTDIR)$(DKMS_TREE)/common/

# What makes the module part of the system, however it was built: loaded
# at boot (modules-load.d), the group "wtsvc" (sysusers.d) given as the
# manager group by name (a udev rule runs wtsvc-manager-group when the
# module loads), a modprobe.d file for its parameters.
UDEVRULESDIR ?= $(SYSCONFDIR)/udev/rules.d
install-module-config:
	install -D -m 0644 $(TOP)/system/modules-load.d/wtsvc.conf \
		$(DESTDIR)$(SYSTEMDLIBDIR)/modules-load.d/wtsvc.conf
	install -D -m 0644 $(TOP)/system/sysusers.d/wtsvc.conf \
		$(DESTDIR)$(SYSTEMDLIBDIR)/sysusers.d/wtsvc.conf
	install -D -m 0644 $(TOP)/system/modprobe.d/wtsvc.conf \
		$(DESTDIR)$(SYSCONFDIR)/modprobe.d/wtsvc.conf
	install -D -m 0755 $(TOP)/system/wtsvc-manager-group \
		$(DESTDIR)$(LIBEXECDIR)/wtsvc/wtsvc-manager-group
	install -d $(DESTDIR)$(UDEVRULESDIR)
	sed 's|/usr/libexec/wtsvc/|$(LIBEXECDIR)/wtsvc/|' \
		$(TOP)/system/udev/60-wtsvc.rules \
		> $(DESTDIR)$(UDEVRULESDIR)/60-wtsvc.rules
MODULE_CONFIG_INSTALLED := $(SYSTEMDLIBDIR)/modules-load.d/wtsvc.conf \
		$(SYSTEMDLIBDIR)/sysusers.d/wtsvc.conf \
		$(SYSCONFDIR)/modprobe.d/wtsvc.conf \
		$(LIBEXECDIR)/wtsvc/wtsvc-manager-group \
		$(UDEVRULESDIR)/60-wtsvc.rules

# What the installs above put there, and the folders of ours left empty.
uninstall:
	rm -f $(addprefix $(DESTDIR),$(LIB_INSTALLED) $(TOOLS_INSTALLED) \
		$(RDPD_INSTALLED) $(MODULE_CONFIG_INSTALLED))
	rm -rf $(DESTDIR)$(DKMS_TREE)
	-rmdir $(DESTDIR)$(INCLUDEDIR)/wtsvc $(DESTDIR)$(LIBEXECDIR)/wtsvc \
		$(DESTDIR)$(SYSCONFDIR)/wtsvc 2>/dev/null

# Programs that know only WinPR: its headers and libwinpr2 (winpr-*) or
# libwinpr3 (winpr3-*), the same sources.
$(BUILD)/bin/winpr-echo-app $(BUILD)/bin/winpr3-echo-app: \
	$(TOP)/tests/winpr/winpr_echo_app.c
$(BUILD)/bin/winpr-dvc-echo $(BUILD)/bin/winpr3-dvc-echo: \
	$(TOP)/tests/winpr/winpr_dvc_echo.c
$(BUILD)/bin/winpr-echo-app $(BUILD)/bin/winpr-dvc-echo: WINPR := winpr2
$(BUILD)/bin/winpr3-echo-app $(BUILD)/bin/winpr3-dvc-echo: WINPR := winpr3
$(BUILD)/bin/winpr-echo-app $(BUILD)/bin/winpr-dvc-echo \
$(BUILD)/bin/winpr3-echo-app $(BUILD)/bin/winpr3-dvc-echo:
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror \
		$$(pkg-config --cflags $(WINPR)) -o $@ $< \
		$$(pkg-config --libs $(WINPR))

hosttests: $(HOSTTEST_BINS)

$(BUILD)/host/names_test: $(TOP)/tests/host/names_test.c \
		$(TOP)/kmod/names.c $(TOP)/kmod/names.h $(KSRC)/.extracted
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -I$(TOP)/kmod -o $@ $< $(TOP)/kmod/names.c

$(BUILD)/host/licensing_test: $(TOP)/tests/host/licensing_test.c \
		$(LIB_HDRS) $(KSRC)/.extracted $(LIB_SAN)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(LIB_CFLAGS) -o $@ $< $(LIB_SAN) $(LIB_LIBS)

$(BUILD)/host/version_test: $(TOP)/tests/host/version_test.c \
		$(LIB_HDRS) $(KSRC)/.extracted $(LIB_SAN)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(LIB_CFLAGS) -o $@ $< $(LIB_SAN) $(LIB_LIBS)

$(BUILD)/host/ring_core_test: $(TOP)/tests/host/ring_core_test.c \
		$(TOP)/common/ring_core.h $(LIB_HDRS) $(UAPI) $(KSRC)/.extracted \
		$(LIB_SAN)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(LIB_CFLAGS) -o $@ $< $(LIB_SAN) $(LIB_LIBS)

# wtsvc-bench's verifier, framing, statistics, spin loop, CPU time,
# names and ratios, with the sanitizers.
BENCH_CHECKED := $(addprefix $(TOP)/userspace/tools/wtsvc-bench/,payload.c \
		 framing.c util.c spin.c cpu.c names.c ratios.c sysinfo.c)
$(BUILD)/host/bench_test: $(TOP)/tests/host/bench_test.c $(BENCH_CHECKED) \
		$(TOP)/userspace/tools/wtsvc-bench/bench.h $(LIB_HDRS) \
		$(KSRC)/.extracted
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -I$(TOP)/include \
		-I$(TOP)/userspace/tools/wtsvc-bench -o $@ $< $(BENCH_CHECKED) \
		-luring -lpthread

# The public headers alone, as C and as C++ (layouts checked).
$(BUILD)/host/headers_c_test: $(TOP)/tests/host/headers_test.c $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -Wall -Wextra -Werror -pedantic -I$(TOP)/include \
		-I$(TOP)/include/uapi -o $@ $<

$(BUILD)/host/headers_cxx_test: $(TOP)/tests/host/headers_test.c $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(CXX) -x c++ -std=c++17 -Wall -Wextra -Werror -pedantic \
		-I$(TOP)/include -I$(TOP)/include/uapi -o $@ $<

# The UAPI header alone, as C and as C++.  In C the harness is a system
# header: -pedantic is for the UAPI, not for the harness's GNU C.
$(BUILD)/host/uapi_c_test: $(TOP)/tests/host/uapi_layout.c $(UAPI) \
		$(KSRC)/.extracted
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -Wall -Wextra -Werror -pedantic \
		-isystem $(KSRC)/tools/testing/selftests -I$(TOP)/include/uapi \
		-o $@ $<

$(BUILD)/host/uapi_cxx_test: $(TOP)/tests/host/uapi_layout.c $(UAPI)
	@mkdir -p $(dir $@)
	$(CXX) -x c++ -std=c++17 -Wall -Wextra -Werror -pedantic \
		-I$(TOP)/include/uapi -o $@ $<

tools: $(TOOL_BINS)

MSGBOX_SRCS := $(wildcard $(TOP)/userspace/tools/wtsvc-msgbox/*.c)
MSGBOX_HDRS := $(wildcard $(TOP)/userspace/tools/wtsvc-msgbox/*.h)
$(BUILD)/bin/wtsvc-msgbox: $(MSGBOX_SRCS) $(MSGBOX_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -I$(TOP)/include $$(pkg-config --cflags x11 xft) \
		-o $@ $(MSGBOX_SRCS) $$(pkg-config --libs x11 xft)

$(BUILD)/desktop/wtsvc-pattern: $(TOP)/tests/desktop/pattern_client.c \
		$(TOP)/tests/desktop/pattern.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -o $@ $< -lX11

$(BUILD)/desktop/wtsvc-screen-check: $(TOP)/tests/desktop/screen_check.c \
		$(TOP)/tests/desktop/pattern.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -o $@ $< -lXfixes -lX11 $$(pkg-config --libs libpng)

$(BUILD)/desktop/wtsvc-frames: $(TOP)/tests/desktop/frames.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -o $@ $< -lX11

$(BUILD)/bin/wtsvc-demo: $(TOP)/userspace/tools/wtsvc-demo.c $(UAPI)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -O2 -o $@ $< -lpthread

# Linked with the static library so it runs from the build tree.
$(BUILD)/bin/wtsvcctl: $(CTL_SRCS) $(TOP)/userspace/tools/wtsvcctl/wtsvcctl.h \
		$(BUILD)/lib/libwtsvc.a
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -O2 -I$(TOP)/include \
		$$(pkg-config --cflags json-c) -o $@ $(CTL_SRCS) \
		$(BUILD)/lib/libwtsvc.a $(LIB_LIBS) -ljson-c

# The benchmark: optimised, against the static library; memring uses the
# ring code's internal layout hook (userspace/lib/ring/ring_internal.h,
# which includes common/ring_core.h).
$(BUILD)/bin/wtsvc-bench: $(BENCH_SRCS) \
		$(TOP)/userspace/tools/wtsvc-bench/bench.h $(BUILD)/lib/libwtsvc.a
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -O2 -I$(TOP)/include -I$(TOP)/common \
		-I$(TOP)/userspace/lib/ring -o $@ $(BENCH_SRCS) \
		$(BUILD)/lib/libwtsvc.a -lsystemd -luring -lpthread -ldl

# The RDP bridge and the sample plugins (libwtsvc only).  The bridge builds
# against either FreeRDP generation (the differences are in
# wtsvc-rdpd/frdp_compat.h): build/bin/wtsvc-rdpd against FreeRDP
# $(FREERDP) (default 3, the primary), and, when pkg-config finds the other
# generation, build/bin/wtsvc-rdpd-freerdp<N> against it beside it.
# FreeRDP's headers are system headers to the warning flags.
RDPD_SRCS := $(wildcard $(TOP)/userspace/tools/wtsvc-rdpd/*.c)
RDPD_HDRS := $(wildcard $(TOP)/userspace/tools/wtsvc-rdpd/*.h)
PLUGIN_DIR := $(TOP)/userspace/tools/plugins
ECHO_WORK := $(PLUGIN_DIR)/echo_work.c $(PLUGIN_DIR)/echo_work.h
freerdp_pkgs = freerdp-server$(1) freerdp$(1) winpr$(1)
FREERDP_CFLAGS = $(shell pkg-config --cflags $(call freerdp_pkgs,$(1)) | \
		   sed 's/-I/-isystem /g')
FREERDP_LIBS = $(shell pkg-config --libs $(call freerdp_pkgs,$(1))) -lcrypto

# The generation build/bin/wtsvc-rdpd was last built against, and where
# it looks for its helpers: a changed FREERDP or LIBEXECDIR rebuilds it.
RDPD_STAMP := $(BUILD)/bin/.wtsvc-rdpd-freerdp
ifneq ($(shell cat $(RDPD_STAMP) 2>/dev/null),$(FREERDP) $(LIBEXECDIR))
$(shell mkdir -p $(BUILD)/bin && echo $(FREERDP) $(LIBEXECDIR) > $(RDPD_STAMP))
endif

$(RDPD_BINS): $(RDPD_SRCS) $(RDPD_HDRS) $(ECHO_WORK) $(BUILD)/lib/libwtsvc.a \
		$(RDPD_STAMP)
	@mkdir -p $(dir $@)
	@pkg-config --exists $(call freerdp_pkgs,$(RDPD_GEN)) || { \
		echo "FreeRDP $(RDPD_GEN) not found by pkg-config" \
		     "($(call freerdp_pkgs,$(RDPD_GEN))): make deps, or FREERDP=2" >&2; \
		exit 1; }
	$(CC) $(USER_CFLAGS) -O2 -I$(TOP)/include -I$(PLUGIN_DIR) \
		-DWTSVC_HELPER_DIR='"$(LIBEXECDIR)/wtsvc"' \
		-I$(TOP)/common -I$(TOP)/userspace/lib/core \
		-I$(TOP)/userspace/lib/wtsapi \
		$(call FREERDP_CFLAGS,$(RDPD_GEN)) -o $@ $(RDPD_SRCS) \
		$(PLUGIN_DIR)/echo_work.c $(BUILD)/lib/libwtsvc.a \
		$(call FREERDP_LIBS,$(RDPD_GEN)) -lXdamage -lXfixes -lXtst -lXrandr -lXext \
		-lX11 $(LIB_LIBS)
$(BUILD)/bin/wtsvc-rdpd: RDPD_GEN := $(FREERDP)

# The session leader wtsvc-rdpd starts per logon (PAM, logind): no
# FreeRDP, no libwtsvc.
LEADER_SRCS := $(wildcard $(TOP)/userspace/tools/wtsvc-rdpd-session/*.c)
LEADER_HDRS := $(wildcard $(TOP)/userspace/tools/wtsvc-rdpd-session/*.h)
$(BUILD)/bin/wtsvc-rdpd-session: $(LEADER_SRCS) $(LEADER_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -o $@ $(LEADER_SRCS) -lpam -lX11 -lXau
$(BUILD)/bin/wtsvc-rdpd-freerdp$(FREERDP_OTHER): RDPD_GEN := $(FREERDP_OTHER)

$(BUILD)/bin/wtsvc-%-plugin: $(PLUGIN_DIR)/%_plugin.c \
		$(PLUGIN_DIR)/plugin_common.c $(PLUGIN_DIR)/plugin_common.h \
		$(ECHO_WORK) $(BUILD)/lib/libwtsvc.a
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -O2 -I$(TOP)/include -o $@ $< \
		$(PLUGIN_DIR)/plugin_common.c $(PLUGIN_DIR)/echo_work.c \
		$(BUILD)/lib/libwtsvc.a -lsystemd -luring -lpthread -ldl

checkpatch: $(KSRC)/.extracted
	@$(TOP)/scripts/checkpatch.sh

# The main job: build (the module for the 6.1 guest only), boot a 6.1
# guest, load the module, run the demo.
run: deps
	@$(MAKE) --no-print-directory all SERIES=6.1
	@$(TOP)/tests/vm/run --kernel 6.1 -- $(BUILD)/bin/wtsvc-demo
	@echo "run: the session host, in a guest booted with systemd"
	@$(TOP)/scripts/systemd-root.sh --image > $(BUILD)/systemd-root.log 2>&1 || \
		{ tail -20 $(BUILD)/systemd-root.log; exit 1; }
	@mkdir -p $(BUILD)/run
	@$(TOP)/tests/vm/run --systemd --kernel 6.1 --share $(BUILD)/run \
		-- $(TOP)/tests/vm/session_demo.sh $(BUILD)/run

# Every test suite, on both kernels.
check: deps
	@$(TOP)/scripts/check.sh

# Only the debug kernel's suites (KASAN, lockdep, kmemleak, UBSAN,
# allocation-failure injection); builds the kernel first when needed.
check-debug: deps
	@CHECK_DEBUG=only $(TOP)/scripts/check.sh

# A long fuzzer run in one guest: make fuzz [DURATION=600] [SEED=S]
# [KERNEL=6.1|6.12|7.3|6.12-rt|debug] [MODE=all|manager|user|lib]; logs in
# build/vm-logs.
fuzz: $(FUZZ_BIN)
	@$(TOP)/tests/vm/run --kernel $(or $(KERNEL),6.1) \
		--timeout $$(( $(or $(DURATION),600) + 300 )) \
		--logs $(BUILD)/vm-logs/fuzz-$(or $(KERNEL),6.1) \
		-- $(FUZZ_BIN) --duration $(or $(DURATION),600) \
		$(if $(SEED),--seed $(SEED)) $(if $(MODE),--mode $(MODE))

# The benchmark in a 6.1 guest (BENCH_ARGS go to wtsvc-bench), or natively.
bench: deps
	@$(MAKE) --no-print-directory all SERIES=6.1
	@$(TOP)/scripts/bench.sh --kernel 6.1 -- $(BENCH_ARGS)

# ECHO through the RDP bridge against FreeRDP's in-process channels.
bench-rdp: deps
	@$(MAKE) --no-print-directory all SERIES=6.1
	@$(TOP)/scripts/rdp-bench.sh --kernel 6.1

bench-desktop: deps
	@$(MAKE) --no-print-directory all SERIES=6.1
	@$(TOP)/scripts/systemd-root.sh --image >/dev/null
	@$(TOP)/tests/vm/run --systemd --kernel 6.1 --timeout 1800 \
		-- tests/vm/desktop_bench.sh

bench-host: deps
	@$(MAKE) --no-print-directory lib tools
	@$(TOP)/scripts/bench.sh --host -- $(BENCH_ARGS)

# Instructions per message of the ring code (callgrind): each message
# committed and released on its own, and in batches.
ring-instructions: $(BUILD)/perf/ring_cost
	@$(TOP)/scripts/ring-instructions.sh $<

$(BUILD)/perf/ring_cost: $(TOP)/tests/perf/ring_cost.c $(BUILD)/lib/libwtsvc.a \
		$(LIB_HDRS) $(UAPI)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -O2 $(LIB_CFLAGS) -o $@ $< $(BUILD)/lib/libwtsvc.a \
		$(LIB_LIBS)

# On a host that can load modules, without DKMS: build for the running
# kernel, install under updates/ with the kernel's modules_install, add
# the module's configuration, and load it.  (With DKMS: make
# install-dkms install-module-config, then dkms install wtsvc/<version>.)
install-module:
	@$(TOP)/scripts/build-kmod.sh $$(uname -r) $(BUILD)/kmod/$$(uname -r)
	$(MAKE) -C /lib/modules/$$(uname -r)/build \
		M=$(BUILD)/kmod/$$(uname -r)/kmod INSTALL_MOD_DIR=updates \
		modules_install
	depmod -a
	$(MAKE) --no-print-directory install-module-config
	-systemd-sysusers $(SYSTEMDLIBDIR)/sysusers.d/wtsvc.conf
	modprobe wtsvc

clean:
	rm -rf $(BUILD)
