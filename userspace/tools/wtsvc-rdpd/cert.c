// SPDX-License-Identifier: GPL-2.0
/*
 * The TLS certificate: use the given PEM files, or, when neither exists,
 * create an RSA-2048 key (mode 0600) and a self-signed certificate for
 * this host, valid for a year.  One file without the other is an error:
 * the server never overwrites a key it did not make.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "rdpd.h"

static int write_pem(const char *path, int mode, EVP_PKEY *key, X509 *crt)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	FILE *f;
	int ok;

	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -ENOMEM;
	}
	ok = key ? PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) :
		   PEM_write_X509(f, crt);
	if (fclose(f) || !ok) {
		unlink(path);
		return -EIO;
	}
	return 0;
}

static X509 *self_signed(EVP_PKEY *key)
{
	char host[256] = "localhost";
	X509 *crt = X509_new();
	X509_NAME *name;

	if (!crt)
		return NULL;
	gethostname(host, sizeof(host) - 1);
	X509_set_version(crt, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(crt), (long)time(NULL));
	X509_gmtime_adj(X509_getm_notBefore(crt), -3600);
	X509_gmtime_adj(X509_getm_notAfter(crt), 365L * 24 * 3600);
	X509_set_pubkey(crt, key);
	name = X509_get_subject_name(crt);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				   (const unsigned char *)host, -1, -1, 0);
	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
				   (const unsigned char *)"wtsvc-rdpd", -1, -1,
				   0);
	X509_set_issuer_name(crt, name);
	if (!X509_sign(crt, key, EVP_sha256())) {
		X509_free(crt);
		return NULL;
	}
	return crt;
}

/* The directory of path, created (0700) if it is missing. */
static void make_parent(const char *path)
{
	char dir[4096];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return;
	*slash = '\0';
	if (mkdir(dir, 0700) && errno != EEXIST)
		rdpd_err("cannot create %s: %s", dir, strerror(errno));
}

int rdpd_ensure_certificate(const char *cert_file, const char *key_file)
{
	bool have_cert = !access(cert_file, F_OK);
	bool have_key = !access(key_file, F_OK);
	EVP_PKEY *key;
	X509 *crt;
	int ret;

	if (have_cert && have_key)
		return 0;
	if (have_cert != have_key) {
		rdpd_err("%s exists but %s does not: give both or neither",
			 have_cert ? cert_file : key_file,
			 have_cert ? key_file : cert_file);
		return -EEXIST;
	}
	make_parent(key_file);
	make_parent(cert_file);
	key = EVP_RSA_gen(2048);
	crt = key ? self_signed(key) : NULL;
	if (!crt) {
		EVP_PKEY_free(key);
		rdpd_err("cannot create a key and certificate");
		return -EIO;
	}
	ret = write_pem(key_file, 0600, key, NULL);
	if (!ret) {
		ret = write_pem(cert_file, 0644, NULL, crt);
		if (ret)
			unlink(key_file);
	}
	X509_free(crt);
	EVP_PKEY_free(key);
	if (ret)
		rdpd_err("cannot write %s / %s: %s", cert_file, key_file,
			 strerror(-ret));
	else
		rdpd_notice("created a self-signed certificate %s (key %s)",
			 cert_file, key_file);
	return ret;
}
