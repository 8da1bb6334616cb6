// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: where the figures were measured, for the report's first
 * lines: the kernel, the CPU model, the clock source, and whether this is
 * a virtual machine (the hypervisor's CPUID signature, else the DMI
 * vendor).  A QEMU TCG guest (what make bench boots, which says so with
 * --guest) emulates every instruction: its figures compare as ratios
 * only.
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "bench.h"

/* The first line of path, without its newline; "" when unreadable. */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = 0;
	buf[strcspn(buf, "\n")] = 0;
	fclose(f);
}

/* "model name : X" (x86) or "Model : X" / "Hardware : X" (Arm). */
static void cpu_model(char *buf, size_t len)
{
	static const char *const keys[] = { "model name", "Model",
					    "Hardware", "cpu model" };
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!colon)
			continue;
		for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
			size_t n = strlen(keys[k]);

			if (strncmp(line, keys[k], n) ||
			    (line[n] != ' ' && line[n] != '\t'))
				continue;
			colon++;
			colon += strspn(colon, " \t");
			colon[strcspn(colon, "\n")] = 0;
			snprintf(buf, len, "%s", colon);
			fclose(f);
			return;
		}
	}
	fclose(f);
}

/* The hypervisor's CPUID signature, or "" on bare metal (or not x86). */
static void hypervisor(char *buf, size_t len)
{
	buf[0] = 0;
#if defined(__x86_64__) || defined(__i386__)
	unsigned int a, b, c, d;
	char sig[13];

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1U << 31)))
		return;
	__cpuid(0x40000000, a, b, c, d);
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	sig[12] = 0;
	if (!strcmp(sig, "TCGTCGTCGTCG"))
		snprintf(buf, len, "QEMU TCG");
	else if (!strncmp(sig, "KVMKVMKVM", 9))
		snprintf(buf, len, "KVM");
	else if (!strcmp(sig, "Microsoft Hv"))
		snprintf(buf, len, "Hyper-V");
	else if (!strcmp(sig, "VMwareVMware"))
		snprintf(buf, len, "VMware");
	else if (!strncmp(sig, "XenVMMXenVMM", 12))
		snprintf(buf, len, "Xen");
	else if (!strcmp(sig, "bhyve bhyve "))
		snprintf(buf, len, "bhyve");
	else {
		for (int i = 0; i < 12; i++)
			if (sig[i] < 0x20 || sig[i] > 0x7e)
				sig[i] = '?';
		snprintf(buf, len, "hypervisor \"%s\"", sig);
	}
#else
	(void)len;
#endif
}

void bench_sysinfo_read(struct bench_sysinfo *si, bool guest_flag)
{
	struct utsname u;
	char vendor[64];

	memset(si, 0, sizeof(*si));
	if (!uname(&u)) {
		snprintf(si->kernel, sizeof(si->kernel), "%s", u.release);
		snprintf(si->machine, sizeof(si->machine), "%s", u.machine);
	}
	cpu_model(si->cpu_model, sizeof(si->cpu_model));
	read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		  si->clocksource, sizeof(si->clocksource));
	if (!si->clocksource[0])
		snprintf(si->clocksource, sizeof(si->clocksource), "unknown");
	hypervisor(si->virt, sizeof(si->virt));
	read_line("/sys/class/dmi/id/sys_vendor", vendor, sizeof(vendor));
	if (!si->virt[0] && !strncmp(vendor, "QEMU", 4))
		snprintf(si->virt, sizeof(si->virt), "QEMU");
	if (guest_flag)
		snprintf(si->virt, sizeof(si->virt), "QEMU TCG");
	si->emulated = !strcmp(si->virt, "QEMU TCG") ||
		       !strcmp(si->virt, "QEMU");
}

/* The report's first lines (make bench-host and make bench alike). */
void bench_sysinfo_print(const struct bench_sysinfo *si, FILE *f)
{
	if (si->emulated)
		fprintf(f, "guest figures (%s): compare as ratios only\n",
			si->virt);
	else if (si->virt[0])
		fprintf(f, "virtual machine (%s): figures are its vCPUs', not bare metal's\n",
			si->virt);
	fprintf(f, "kernel %s (%s), CPU %s, clock source %s\n", si->kernel,
		si->machine, si->cpu_model, si->clocksource);
}
