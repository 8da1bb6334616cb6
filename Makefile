# SPDX-License-Identifier: GPL-2.0
#
# wtsvc top-level Makefile.
#
#   make run      install dependencies, build everything, boot a test VM,
#                 load wtsvc.ko and run the demonstration (the main job)
#   make check    install dependencies, build everything and run every
#                 test suite on both kernels; ends with "N passed, N failed"
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
	     ring_test stress_test
LIB_SRCS := $(TOP)/userspace/lib/ring.c
LIB_HDRS := $(TOP)/include/wtsvc/ring.h $(TOP)/userspace/lib/ring_internal.h \
	    $(TOP)/kmod/ring_core.h
LIB_CFLAGS := -I$(TOP)/include -I$(TOP)/userspace/lib -I$(TOP)/kmod
SELFTEST_BINS := $(addprefix $(BUILD)/selftests/,$(SELFTESTS))
HOSTTEST_BINS := $(BUILD)/host/names_test $(BUILD)/host/uapi_c_test \
		 $(BUILD)/host/uapi_cxx_test $(BUILD)/host/ring_core_test
TOOL_BINS := $(BUILD)/bin/wtsvc-demo $(BUILD)/lib/libwtsvc.a
UAPI := $(TOP)/include/uapi/linux/wtsvc.h

.PHONY: all deps modules selftests hosttests tools checkpatch run check \
	install-module clean

all: modules selftests hosttests tools

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

$(BUILD)/selftests/%: $(TOP)/tests/selftests/%.c \
		$(TOP)/tests/selftests/wtsvc_util.h $(UAPI) $(KSRC)/.extracted \
		$(LIB_SRCS) $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(LIB_CFLAGS) -o $@ $< $(LIB_SRCS) -luring -lpthread

# The library itself, optimised, for the tools.
$(BUILD)/lib/libwtsvc.a: $(LIB_SRCS) $(LIB_HDRS) $(UAPI)
	@mkdir -p $(BUILD)/lib/obj
	$(CC) $(USER_CFLAGS) $(LIB_CFLAGS) -O2 -c -o $(BUILD)/lib/obj/ring.o \
		$(TOP)/userspace/lib/ring.c
	ar rcs $@ $(BUILD)/lib/obj/ring.o

hosttests: $(HOSTTEST_BINS)

$(BUILD)/host/names_test: $(TOP)/tests/host/names_test.c \
		$(TOP)/kmod/names.c $(TOP)/kmod/names.h $(KSRC)/.extracted
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -I$(TOP)/kmod -o $@ $< $(TOP)/kmod/names.c

$(BUILD)/host/ring_core_test: $(TOP)/tests/host/ring_core_test.c \
		$(TOP)/kmod/ring_core.h $(LIB_SRCS) $(LIB_HDRS) $(UAPI)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(LIB_CFLAGS) -o $@ $< $(LIB_SRCS) \
		-lpthread

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

checkpatch: $(KSRC)/.extracted
	@$(TOP)/scripts/checkpatch.sh

# The main job: build, boot a 6.1 guest, load the module, run the demo.
run: deps
	@$(MAKE) --no-print-directory all
	@$(TOP)/tests/vm/run --kernel 6.1 -- $(BUILD)/bin/wtsvc-demo

# Every test suite, on both kernels.
check: deps
	@$(TOP)/scripts/check.sh

# On a host that can load modules: build for the running kernel and load.
install-module:
	@$(TOP)/scripts/build-kmod.sh $$(uname -r) $(BUILD)/kmod/$$(uname -r)
	install -D -m 0644 $(BUILD)/kmod/$$(uname -r)/wtsvc.ko \
		/lib/modules/$$(uname -r)/updates/wtsvc.ko
	depmod -a
	modprobe wtsvc

clean:
	rm -rf $(BUILD)
