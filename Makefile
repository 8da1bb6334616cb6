# SPDX-License-Identifier: GPL-2.0
#
# wtsvc top-level Makefile.
#
#   make run      install dependencies, build everything, boot a test VM,
#                 load wtsvc.ko and run the demonstration (the main job)
#   make check    install dependencies, build everything and run every
#                 test suite on both kernels; ends with "N passed, N failed"
#   make bench    the benchmark: wtsvc against sockets, pipes and memcpy in
#                 one guest boot; table, JSON, CSV and plots in build/bench
#   make bench-rdp  ECHO through wtsvc-rdpd against FreeRDP's in-process
#                 channels, with xfreerdp, in one guest boot
#
# Other targets: deps, modules, selftests, hosttests, tools, checkpatch,
# install-module (on a host that can load modules), clean.

SHELL := /bin/bash
TOP := $(CURDIR)
BUILD := $(TOP)/build
KSRC := $(BUILD)/ksrc
SERIES := 6.1 6.12

CC ?= gcc
CXX ?= g++
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer
USER_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
	       -I$(TOP)/include/uapi
TEST_CFLAGS := $(USER_CFLAGS) $(SANITIZE) -I$(KSRC)/tools/testing/selftests \
	       -Wno-unused-parameter -Wno-sign-compare \
	       -Wno-misleading-indentation

SELFTESTS := sessions_test channels_test data_test manager_group_test \
	     ring_test stress_test framing_test wtsapi_test cchannel_test \
	     winpr_test procs_events_test wtsession_test
LIB_SRCS := $(wildcard $(TOP)/userspace/lib/*.c)
LIB_HDRS := $(wildcard $(TOP)/include/wtsvc/*.h) \
	    $(wildcard $(TOP)/userspace/lib/*.h) $(TOP)/common/ring_core.h
LIB_CFLAGS := -I$(TOP)/include -I$(TOP)/userspace/lib -I$(TOP)/common \
	      -fvisibility=hidden
LIB_LIBS := -luring -lpthread -ldl
LIB_VERSION := 0.1.0
LIB_SONAME := libwtsvc.so.0
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PUBLIC_HDRS := wintypes.h pchannel.h wtsapi.h cchannel.h wtsvc.h ring.h
SELFTEST_BINS := $(addprefix $(BUILD)/selftests/,$(SELFTESTS))
HOSTTEST_BINS := $(BUILD)/host/names_test $(BUILD)/host/uapi_c_test \
		 $(BUILD)/host/uapi_cxx_test $(BUILD)/host/ring_core_test \
		 $(BUILD)/host/headers_c_test $(BUILD)/host/headers_cxx_test \
		 $(BUILD)/host/bench_test
LIB_BINS := $(BUILD)/lib/libwtsvc.a $(BUILD)/lib/$(LIB_SONAME) \
	    $(BUILD)/lib/pkgconfig/wtsvc.pc
RDP_BINS := $(BUILD)/bin/wtsvc-rdpd $(BUILD)/bin/wtsvc-echo-plugin \
	    $(BUILD)/bin/wtsvc-cliprdr-plugin
TOOL_BINS := $(BUILD)/bin/wtsvc-demo $(LIB_BINS) \
	     $(BUILD)/bin/winpr-echo-app $(BUILD)/bin/winpr-dvc-echo \
	     $(BUILD)/bin/wtsvcctl \
	     $(BUILD)/bin/wtsvc-bench $(RDP_BINS)
CTL_SRCS := $(wildcard $(TOP)/userspace/tools/wtsvcctl/*.c)
BENCH_SRCS := $(wildcard $(TOP)/userspace/tools/wtsvc-bench/*.c)
UAPI := $(TOP)/include/uapi/linux/wtsvc.h

.PHONY: all deps modules selftests hosttests tools lib checkpatch run check \
	bench bench-host bench-rdp install install-module clean

all: modules lib selftests hosttests tools

deps:
	@$(TOP)/scripts/deps.sh

modules:
	@for s in $(SERIES); do \
		k=$$($(TOP)/scripts/kernels.sh $$s) || exit 1; \
		$(TOP)/scripts/build-kmod.sh $$k $(BUILD)/kmod/$$k || exit 1; \
	done

$(KSRC)/.extracted:
	@$(TOP)/scripts/extract-ksrc.sh $(KSRC)

selftests: $(SELFTEST_BINS)

# Selftests build the library in, with ASan and UBSan.
$(BUILD)/selftests/%: $(TOP)/tests/selftests/%.c \
		$(TOP)/tests/selftests/wtsvc_util.h $(UAPI) $(KSRC)/.extracted \
		$(LIB_SRCS) $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(LIB_CFLAGS) -o $@ $< $(LIB_SRCS) $(LIB_LIBS)

# The library itself, optimised: static, shared (-Bsymbolic: WinPR's
# exported, table-forwarding WTS* functions of the same names never
# interpose on its own calls), pkg-config.
LIB_OBJS := $(patsubst $(TOP)/userspace/lib/%.c,$(BUILD)/lib/obj/%.o,$(LIB_SRCS))

lib: $(LIB_BINS)

$(BUILD)/lib/obj/%.o: $(TOP)/userspace/lib/%.c $(LIB_HDRS) $(UAPI)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(LIB_CFLAGS) -O2 -fPIC -c -o $@ $<

$(BUILD)/lib/libwtsvc.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/lib/$(LIB_SONAME): $(LIB_OBJS)
	$(CC) -shared -Wl,-soname,$(LIB_SONAME) -Wl,-Bsymbolic \
		-Wl,--no-undefined -o $(BUILD)/lib/libwtsvc.so.$(LIB_VERSION) \
		$^ $(LIB_LIBS)
	ln -sf libwtsvc.so.$(LIB_VERSION) $@
	ln -sf $(LIB_SONAME) $(BUILD)/lib/libwtsvc.so

$(BUILD)/lib/pkgconfig/wtsvc.pc: $(TOP)/userspace/lib/wtsvc.pc.in $(TOP)/Makefile
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(LIB_VERSION)|' $< > $@

install: $(LIB_BINS) $(BUILD)/bin/wtsvcctl $(RDP_BINS)
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/wtsvc
	install -m 0644 $(BUILD)/lib/libwtsvc.a $(DESTDIR)$(LIBDIR)/
	install -m 0755 $(BUILD)/lib/libwtsvc.so.$(LIB_VERSION) \
		$(DESTDIR)$(LIBDIR)/
	ln -sf libwtsvc.so.$(LIB_VERSION) $(DESTDIR)$(LIBDIR)/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libwtsvc.so
	install -m 0644 $(BUILD)/lib/pkgconfig/wtsvc.pc \
		$(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 0644 $(addprefix $(TOP)/include/wtsvc/,$(PUBLIC_HDRS)) \
		$(DESTDIR)$(INCLUDEDIR)/wtsvc/
	install -D -m 0644 $(UAPI) $(DESTDIR)$(INCLUDEDIR)/linux/wtsvc.h
	install -D -m 0755 $(BUILD)/bin/wtsvcctl $(DESTDIR)$(PREFIX)/bin/wtsvcctl
	install -m 0755 $(RDP_BINS) $(DESTDIR)$(PREFIX)/bin/
	install -D -m 0644 $(TOP)/Documentation/wtsvcctl.8 \
		$(DESTDIR)$(PREFIX)/share/man/man8/wtsvcctl.8
	install -m 0644 $(TOP)/Documentation/wtsvc-rdpd.8 \
		$(DESTDIR)$(PREFIX)/share/man/man8/

# Programs that know only WinPR: its headers and libwinpr2.
$(BUILD)/bin/winpr-echo-app: $(TOP)/tests/winpr/winpr_echo_app.c
$(BUILD)/bin/winpr-dvc-echo: $(TOP)/tests/winpr/winpr_dvc_echo.c
$(BUILD)/bin/winpr-echo-app $(BUILD)/bin/winpr-dvc-echo:
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror \
		$$(pkg-config --cflags winpr2) -o $@ $< $$(pkg-config --libs winpr2)

hosttests: $(HOSTTEST_BINS)

$(BUILD)/host/names_test: $(TOP)/tests/host/names_test.c \
		$(TOP)/kmod/names.c $(TOP)/kmod/names.h $(KSRC)/.extracted
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -I$(TOP)/kmod -o $@ $< $(TOP)/kmod/names.c

$(BUILD)/host/ring_core_test: $(TOP)/tests/host/ring_core_test.c \
		$(TOP)/common/ring_core.h $(LIB_SRCS) $(LIB_HDRS) $(UAPI)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(LIB_CFLAGS) -o $@ $< $(LIB_SRCS) $(LIB_LIBS)

# wtsvc-bench's verifier, framing and statistics, with the sanitizers.
BENCH_CHECKED := $(addprefix $(TOP)/userspace/tools/wtsvc-bench/,payload.c \
		 framing.c util.c)
$(BUILD)/host/bench_test: $(TOP)/tests/host/bench_test.c $(BENCH_CHECKED) \
		$(TOP)/userspace/tools/wtsvc-bench/bench.h $(LIB_HDRS)
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

$(BUILD)/host/uapi_c_test: $(TOP)/tests/host/uapi_layout.c $(UAPI)
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -Wall -Wextra -Werror -pedantic -I$(TOP)/include/uapi \
		-o $@ $<

$(BUILD)/host/uapi_cxx_test: $(TOP)/tests/host/uapi_layout.c $(UAPI)
	@mkdir -p $(dir $@)
	$(CXX) -x c++ -std=c++17 -Wall -Wextra -Werror -pedantic \
		-I$(TOP)/include/uapi -o $@ $<

tools: $(TOOL_BINS)

$(BUILD)/bin/wtsvc-demo: $(TOP)/userspace/tools/wtsvc-demo.c $(UAPI)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -O2 -o $@ $< -lpthread

# Linked with the static library so it runs from the build tree.
$(BUILD)/bin/wtsvcctl: $(CTL_SRCS) $(TOP)/userspace/tools/wtsvcctl/wtsvcctl.h \
		$(BUILD)/lib/libwtsvc.a
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -O2 -I$(TOP)/include -o $@ $(CTL_SRCS) \
		$(BUILD)/lib/libwtsvc.a -luring -lpthread -ldl

# The benchmark: optimised, against the static library; memring uses the
# ring code's internal layout hook (userspace/lib/ring_internal.h).
$(BUILD)/bin/wtsvc-bench: $(BENCH_SRCS) \
		$(TOP)/userspace/tools/wtsvc-bench/bench.h $(BUILD)/lib/libwtsvc.a
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -O2 $(LIB_CFLAGS) -o $@ $(BENCH_SRCS) \
		$(BUILD)/lib/libwtsvc.a -luring -lpthread -ldl

# The RDP bridge (FreeRDP 2) and the sample plugins (libwtsvc only).
# FreeRDP's headers are system headers to the warning flags.
RDPD_SRCS := $(wildcard $(TOP)/userspace/tools/wtsvc-rdpd/*.c)
RDPD_HDRS := $(wildcard $(TOP)/userspace/tools/wtsvc-rdpd/*.h)
PLUGIN_DIR := $(TOP)/userspace/tools/plugins
ECHO_WORK := $(PLUGIN_DIR)/echo_work.c $(PLUGIN_DIR)/echo_work.h
FREERDP_PKGS := freerdp-server2 freerdp2 winpr2
FREERDP_CFLAGS = $(shell pkg-config --cflags $(FREERDP_PKGS) | \
		   sed 's/-I/-isystem /g')
FREERDP_LIBS = $(shell pkg-config --libs $(FREERDP_PKGS)) -lcrypto

$(BUILD)/bin/wtsvc-rdpd: $(RDPD_SRCS) $(RDPD_HDRS) $(ECHO_WORK) \
		$(BUILD)/lib/libwtsvc.a
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -O2 -I$(TOP)/include -I$(PLUGIN_DIR) \
		$(FREERDP_CFLAGS) -o $@ $(RDPD_SRCS) $(PLUGIN_DIR)/echo_work.c \
		$(BUILD)/lib/libwtsvc.a $(FREERDP_LIBS) -luring -lpthread -ldl

$(BUILD)/bin/wtsvc-%-plugin: $(PLUGIN_DIR)/%_plugin.c \
		$(PLUGIN_DIR)/plugin_common.c $(PLUGIN_DIR)/plugin_common.h \
		$(ECHO_WORK) $(BUILD)/lib/libwtsvc.a
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -O2 -I$(TOP)/include -o $@ $< \
		$(PLUGIN_DIR)/plugin_common.c $(PLUGIN_DIR)/echo_work.c \
		$(BUILD)/lib/libwtsvc.a -luring -lpthread -ldl

checkpatch: $(KSRC)/.extracted
	@$(TOP)/scripts/checkpatch.sh

# The main job: build, boot a 6.1 guest, load the module, run the demo.
run: deps
	@$(MAKE) --no-print-directory all
	@$(TOP)/tests/vm/run --kernel 6.1 -- $(BUILD)/bin/wtsvc-demo

# Every test suite, on both kernels.
check: deps
	@$(TOP)/scripts/check.sh

# The benchmark in a 6.1 guest (BENCH_ARGS go to wtsvc-bench), or natively.
bench: deps
	@$(MAKE) --no-print-directory all
	@$(TOP)/scripts/bench.sh --kernel 6.1 -- $(BENCH_ARGS)

# ECHO through the RDP bridge against FreeRDP's in-process channels.
bench-rdp: deps
	@$(MAKE) --no-print-directory all
	@$(TOP)/scripts/rdp-bench.sh --kernel 6.1

bench-host: deps
	@$(MAKE) --no-print-directory lib tools
	@$(TOP)/scripts/bench.sh --host -- $(BENCH_ARGS)

# On a host that can load modules: build for the running kernel and load.
install-module:
	@$(TOP)/scripts/build-kmod.sh $$(uname -r) $(BUILD)/kmod/$$(uname -r)
	install -D -m 0644 $(BUILD)/kmod/$$(uname -r)/wtsvc.ko \
		/lib/modules/$$(uname -r)/updates/wtsvc.ko
	depmod -a
	modprobe wtsvc

clean:
	rm -rf $(BUILD)
