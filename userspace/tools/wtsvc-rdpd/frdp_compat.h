/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the two FreeRDP generations the bridge builds
 * against (the Makefile picks one with pkg-config): FreeRDP 3 (3.10 and
 * later, the primary) and FreeRDP 2 (2.11).  Everything else in the
 * bridge is one code path: settings are read and written only through
 * freerdp_settings_get_* and freerdp_settings_set_*, which both have.
 *
 *  - The WTS function table is const in 3.x (FreeRDP_InitWtsApi,
 *    WTSRegisterWtsApiFunctionTable).
 *  - The TLS certificate and key are objects in 3.x, read from the PEM
 *    files here; 2.x takes the file names and reads them itself.
 *  - 2.x's channel manager starts drdynvc (its capabilities PDU) at the
 *    first pass over its queue after the client is active; 3.x's would
 *    start it at the first pass of all, before the client has joined its
 *    channels, and then never, so there the bridge starts it itself.
 */
#ifndef RDPD_FRDP_COMPAT_H
#define RDPD_FRDP_COMPAT_H

#include <stdbool.h>
#include <freerdp/version.h>
#include <freerdp/settings.h>
#include <freerdp/channels/wtsvc.h>
#include <winpr/wtsapi.h>

#if FREERDP_VERSION_MAJOR >= 3
#include <freerdp/crypto/certificate.h>
#include <freerdp/crypto/privatekey.h>

typedef const WtsApiFunctionTable *rdpd_wts_table;

/* The settings own both objects once they are set. */
static inline bool rdpd_settings_set_tls(rdpSettings *s, const char *cert_file,
					 const char *key_file)
{
	rdpCertificate *crt = freerdp_certificate_new_from_file(cert_file);
	rdpPrivateKey *key = freerdp_key_new_from_file(key_file);

	if (!crt || !key) {
		freerdp_certificate_free(crt);
		freerdp_key_free(key);
		return false;
	}
	if (!freerdp_settings_set_pointer_len(s, FreeRDP_RdpServerCertificate,
					      crt, 1)) {
		freerdp_certificate_free(crt);
		freerdp_key_free(key);
		return false;
	}
	if (!freerdp_settings_set_pointer_len(s, FreeRDP_RdpServerRsaKey, key,
					      1)) {
		freerdp_key_free(key);
		return false;
	}
	return true;
}

/* One pass over the channel manager's queue; drdynvc once active. */
static inline BOOL rdpd_vcm_check(HANDLE vcm, bool activated)
{
	if (activated && !WTSVirtualChannelManagerOpen(vcm))
		return FALSE;
	return WTSVirtualChannelManagerCheckFileDescriptorEx(vcm, FALSE);
}
#else
typedef PWtsApiFunctionTable rdpd_wts_table;

static inline bool rdpd_settings_set_tls(rdpSettings *s, const char *cert_file,
					 const char *key_file)
{
	return freerdp_settings_set_string(s, FreeRDP_CertificateFile,
					   cert_file) &&
	       freerdp_settings_set_string(s, FreeRDP_PrivateKeyFile,
					   key_file) &&
	       freerdp_settings_set_string(s, FreeRDP_RdpKeyFile, key_file);
}

static inline BOOL rdpd_vcm_check(HANDLE vcm, bool activated)
{
	(void)activated;	/* the manager knows */
	return WTSVirtualChannelManagerCheckFileDescriptor(vcm);
}
#endif

/* A keyboard event's scancode: UINT16 in FreeRDP 2, UINT8 in 3. */
#if FREERDP_VERSION_MAJOR >= 3
typedef UINT8 rdpd_scancode;
#else
typedef UINT16 rdpd_scancode;
#endif

#endif /* RDPD_FRDP_COMPAT_H */
