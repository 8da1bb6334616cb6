/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * wtsvc/version.h: the version of libwtsvc, as the headers a program is
 * built with say it (the macros) and as the library it runs with says it
 * (the functions).  The Makefile takes the library's version from here.
 */
#ifndef WTSVC_VERSION_H
#define WTSVC_VERSION_H

#define WTSVC_VERSION_MAJOR	0
#define WTSVC_VERSION_MINOR	1
#define WTSVC_VERSION_PATCH	0
#define WTSVC_VERSION_STRING	"0.1.0"

/* True when the headers are version major.minor or newer. */
#define WTSVC_CHECK_VERSION(major, minor)				\
	(WTSVC_VERSION_MAJOR > (major) ||				\
	 (WTSVC_VERSION_MAJOR == (major) && WTSVC_VERSION_MINOR >= (minor)))

#ifdef __cplusplus
extern "C" {
#endif

/* The running library's version: "MAJOR.MINOR.PATCH", and its parts. */
const char *wtsvc_version(void);
unsigned int wtsvc_version_major(void);
unsigned int wtsvc_version_minor(void);

#ifdef __cplusplus
}
#endif

#endif /* WTSVC_VERSION_H */
