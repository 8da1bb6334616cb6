// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The license server's two certificates (TLSGetServerCertificate): one
 * to sign with, one for key exchange.  A store has none until asked:
 * then a self-signed RSA certificate is made (OpenSSL) and kept in the
 * store's settings, with its key, in PEM; a server that is not activated
 * by a clearing house has only these (TLS_W_SELFSIGN_CERTIFICATE).  Two
 * processes asking first at once both make one, and the one stored first
 * stands for both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "licensing_internal.h"

#define CERT_DAYS	(20 * 365)

static char *bio_text(BIO *b)
{
	char *data, *out;
	long len = BIO_get_mem_data(b, &data);

	out = len > 0 ? malloc((size_t)len + 1) : NULL;
	if (out) {
		memcpy(out, data, (size_t)len);
		out[len] = '\0';
	}
	return out;
}

/* "CERT-PEM KEY-PEM" of a new self-signed certificate, or NULL. */
static char *make_cert(bool sign)
{
	EVP_PKEY *key = EVP_RSA_gen(2048);
	X509 *x = X509_new();
	BIO *b = BIO_new(BIO_s_mem());
	char host[256] = "localhost", cn[320];
	X509_NAME *name;
	char *pem = NULL;
	bool ok;

	gethostname(host, sizeof(host) - 1);
	snprintf(cn, sizeof(cn), "wtsvc license server %s (%s)", host,
		 sign ? "signature" : "exchange");
	ok = key && x && b && X509_set_version(x, 2) &&
	     ASN1_INTEGER_set(X509_get_serialNumber(x), sign ? 1 : 2) &&
	     X509_gmtime_adj(X509_getm_notBefore(x), 0) &&
	     X509_gmtime_adj(X509_getm_notAfter(x),
			     (long)CERT_DAYS * 24 * 3600) &&
	     X509_set_pubkey(x, key);
	if (ok) {
		name = X509_get_subject_name(x);
		ok = X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
						(const unsigned char *)cn, -1,
						-1, 0) &&
		     X509_set_issuer_name(x, name) &&
		     X509_sign(x, key, EVP_sha256()) &&
		     PEM_write_bio_X509(b, x) &&
		     PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL,
					      NULL);
	}
	if (ok)
		pem = bio_text(b);
	BIO_free(b);
	X509_free(x);
	EVP_PKEY_free(key);
	return pem;
}

static DWORD to_der(const char *pem, uint8_t **der, size_t *len)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
	int n = x ? i2d_X509(x, NULL) : -1;
	uint8_t *out = n > 0 ? wtsvc_alloc((size_t)n) : NULL, *p = out;
	DWORD err = LSERVER_E_INTERNAL_ERROR;

	if (n > 0 && !out)
		err = LSERVER_E_OUTOFMEMORY;
	if (out && i2d_X509(x, &p) == n) {
		*der = out;
		*len = (size_t)n;
		err = 0;
	} else if (out) {
		wtsvc_free(out);
	}
	X509_free(x);
	BIO_free(b);
	return err;
}

DWORD lic_cert_get(struct lic_db *db, bool sign, uint8_t **der, size_t *len)
{
	const char *key = sign ? "certificate.signature" :
		       "certificate.exchange";
	char *pem = NULL, *made;
	DWORD err = lic_store_setting_get(db, key, &pem);

	if (err)
		return err;
	if (!pem) {
		made = make_cert(sign);
		if (!made)
			return TLS_E_NO_CERTIFICATE;
		err = lic_store_setting_init(db, key, made, &pem);
		free(made);
		if (err)
			return err;
		if (!pem)
			return TLS_E_NO_CERTIFICATE;
	}
	err = to_der(pem, der, len);
	free(pem);
	return err;
}
