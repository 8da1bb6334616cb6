// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-rdpd: an RDP server that bridges every client's virtual channels
 * to a wtsvc session, so channel plugins in any process of the session
 * reach the client through the WTS API (libwtsvc or WinPR).  See
 * Documentation/rdpd.rst.
 *
 *   wtsvc-rdpd [--address ADDR] [--port N] [--cert FILE --key FILE]
 *              [--nla --sam FILE] [--user NAME | --pam-service NAME]
 *              [--multi-session] [--session-helper PATH] [--max-clients N]
 *              [--exec CMD] [--desktop CMD | --no-desktop]
 *              [--x-server KIND]
 *              [--codec auto|progressive|remotefx|planar]
 *              [--display-base N] [--message-box PATH]
 *              [--budget BYTES] [--hold BYTES]
 *              [--licensing per-device|per-user [--license-server NAME]
 *               [--license-product ID] [--license-lease DAYS]
 *               [--license-grace DAYS] [--license-grace-file PATH]]
 *              [--inproc-echo SPEC] [-v] [--version]
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <freerdp/listener.h>
#include <freerdp/channels/channels.h>
#include <winpr/ssl.h>
#include <winpr/winsock.h>

#include "display.h"
#include "host.h"
#include "license.h"
#include "peer.h"
#include "wts_side.h"
#include "../wtsvc-rdpd-session/leader_proto.h"

rdpd_wts_table rdpd_fr;

static atomic_bool stopping;
static atomic_bool host_stopping;	/* after the sessions are gone */
static atomic_uint peers_alive;
void *rdpd_requests_thread(void *arg);

static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&stopping, true);
}

static void *peer_main(void *arg)
{
	rdpd_peer_thread(arg);
	atomic_fetch_sub(&peers_alive, 1);
	return NULL;
}

static BOOL on_accept(freerdp_listener *listener, freerdp_peer *client)
{
	const struct rdpd_config *cfg = listener->info;
	pthread_attr_t attr;
	pthread_t thread;
	int ret;

	if (atomic_load(&peers_alive) >= cfg->max_clients) {
		rdpd_log("%s: refused: %u clients already", client->hostname,
			 cfg->max_clients);
		return FALSE;
	}
	client->ContextExtra = (void *)cfg;
	atomic_fetch_add(&peers_alive, 1);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	ret = pthread_create(&thread, &attr, peer_main, client);
	pthread_attr_destroy(&attr);
	if (ret) {
		atomic_fetch_sub(&peers_alive, 1);
		rdpd_log("%s: cannot start a thread: %s", client->hostname,
			 strerror(ret));
		return FALSE;
	}
	rdpd_log("connection from %s", client->hostname);
	return TRUE;
}

static int listen_loop(freerdp_listener *l)
{
	while (!atomic_load(&stopping)) {
		HANDLE handles[32];
		struct pollfd pfd[32];
		DWORD n = l->GetEventHandles(l, handles, 32);
		nfds_t k = 0;

		for (DWORD i = 0; i < n; i++) {
			pfd[k].fd = GetEventFileDescriptor(handles[i]);
			pfd[k].events = POLLIN;
			k += pfd[k].fd >= 0;
		}
		if (poll(pfd, k, 200) < 0 && errno != EINTR)
			return -errno;
		if (!l->CheckFileDescriptor(l)) {
			rdpd_log("the listener failed");
			return -EIO;
		}
	}
	return 0;
}

/* Ask every connection to end and wait for them (10 s at most). */
static void end_all_peers(void)
{
	rdpd_registry_end_all(RDPD_END_SHUTDOWN);
	for (int i = 0; i < 1000 && atomic_load(&peers_alive); i++)
		usleep(10000);
	if (atomic_load(&peers_alive))
		rdpd_log("%u connections did not end",
			 atomic_load(&peers_alive));
}

static void usage(FILE *f, int status)
{
	fprintf(f,
		"usage: wtsvc-rdpd [options]\n"
		"  --address ADDR      listen address (127.0.0.1)\n"
		"  --port N            TCP port (3389)\n"
		"  --cert FILE         TLS certificate, PEM (created with --key if both are missing)\n"
		"  --key FILE          its private key, PEM\n"
		"  --nla               require NLA (CredSSP); --sam FILE: WinPR SAM file of the accounts\n"
		"  --user NAME         no logons: every session is NAME's and ends with its\n"
		"                      connection (default: logons checked with PAM)\n"
		"  --pam-service NAME  PAM service of the logons (wtsvc-rdpd)\n"
		"  --multi-session     a new session per logon (default: a user's logon\n"
		"                      reconnects to their disconnected session)\n"
		"  --session-helper P  the session leader program (wtsvc-rdpd-session\n"
		"                      beside this program)\n"
		"  --max-clients N     concurrent connections (16)\n"
		"  --exec CMD          run CMD (sh -c) in each new session, as its user\n"
		"  --desktop CMD       the desktop program of a session's display when\n"
		"                      the user has no executable ~/.xsession (none)\n"
		"  --no-desktop        no X display per session (default with PAM logons:\n"
		"                      display :(BASE + session id), as the user)\n"
		"  --x-server KIND     the displays' X server: xorg (Xorg with the dummy\n"
		"                      driver, resizable), xvfb, or auto (xorg if installed)\n"
		"  --codec KIND        the most a client is sent, falling back to what it\n"
		"                      takes: auto (graphics pipeline: AVC420, else\n"
		"                      progressive), progressive, remotefx, planar\n"
		"                      (lossless bitmaps, taken by every client)\n"
		"  --shadow-group G    members of group G may remote-control (shadow) other\n"
		"                      users' sessions (default: only root and the user)\n"
		"  --display-base N    BASE above (10)\n"
		"  --message-box P     the WTSSendMessage dialog (wtsvc-msgbox beside\n"
		"                      this program)\n"
		"  --budget BYTES      bytes relayed per channel per loop turn (262144)\n"
		"  --hold BYTES        client data held for one channel's application\n"
		"                      before its sending stops (4194304); 8x that held\n"
		"                      for a connection and reading from the client stops\n"
		"  --licensing MODE    client licenses from the license store (FreeRDP 3\n"
		"                      builds): per-device or per-user (default: none)\n"
		"  --license-server N  the store licensing.conf names N (the local one)\n"
		"  --license-product P the key packs' product id (RDS-CAL)\n"
		"  --license-lease D   days a license lasts, renewed at each logon (60)\n"
		"  --license-grace D   days clients log on without a license once none is\n"
		"                      left or the store cannot be reached (120)\n"
		"  --license-grace-file F  when the grace period began\n"
		"                      (/var/lib/wtsvc-rdpd/license-grace)\n"
		"  --inproc-echo SPEC  baseline: ECHO over FreeRDP's in-process channels,\n"
		"                      SIZE:COUNT:WINDOW[,...]; no wtsvc involved\n"
		"  -v, --verbose       more log lines\n"
		"  --version           the FreeRDP it was built with and runs on\n");
	exit(status);
}

static unsigned long num_arg(const char *s, unsigned long min,
			     unsigned long max)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *end || v < min || v > max) {
		fprintf(stderr, "wtsvc-rdpd: bad number \"%s\"\n", s);
		exit(2);
	}
	return v;
}

/*
 * The displays' X server: Xorg with the dummy driver where installed (it
 * can be resized to each client's desktop), else Xvfb.
 */
static bool pick_x_server(struct rdpd_config *cfg)
{
	const char *want = cfg->x_server ? cfg->x_server : "auto";

	if (!strcmp(want, "auto"))
		cfg->x_server = !access(LEADER_XORG, X_OK) &&
				!access(LEADER_XORG_DUMMY, R_OK) ? "xorg" :
				"xvfb";
	else if (strcmp(want, "xorg") && strcmp(want, "xvfb"))
		return false;
	return true;
}

/* A program in the directory of this one (allocated: main's lifetime). */
static const char *beside_self(const char *name)
{
	char path[4096], *slash, *full;
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);

	path[n > 0 ? n : 0] = '\0';
	slash = strrchr(path, '/');
	if (!slash)
		return name;
	*slash = '\0';
	if (asprintf(&full, "%s/%s", path, name) < 0)
		return name;
	return full;
}

static bool parse_codec(const char *name, enum rdpd_codec *codec)
{
	static const char *const names[] = {
		[RDPD_CODEC_AUTO] = "auto",
		[RDPD_CODEC_PROGRESSIVE] = "progressive",
		[RDPD_CODEC_REMOTEFX] = "remotefx",
		[RDPD_CODEC_PLANAR] = "planar",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(name, names[i])) {
			*codec = (enum rdpd_codec)i;
			return true;
		}
	}
	return false;
}

static void parse(int argc, char **argv, struct rdpd_config *cfg)
{
	static const struct option opts[] = {
		{ "address", required_argument, NULL, 'a' },
		{ "port", required_argument, NULL, 'p' },
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "nla", no_argument, NULL, 'N' },
		{ "sam", required_argument, NULL, 'S' },
		{ "user", required_argument, NULL, 'u' },
		{ "pam-service", required_argument, NULL, 'P' },
		{ "multi-session", no_argument, NULL, 'M' },
		{ "session-helper", required_argument, NULL, 'L' },
		{ "max-clients", required_argument, NULL, 'm' },
		{ "exec", required_argument, NULL, 'e' },
		{ "desktop", required_argument, NULL, 'D' },
		{ "no-desktop", no_argument, NULL, 'X' },
		{ "x-server", required_argument, NULL, 'g' },
		{ "codec", required_argument, NULL, 'C' },
		{ "shadow-group", required_argument, NULL, 'G' },
		{ "display-base", required_argument, NULL, 'x' },
		{ "message-box", required_argument, NULL, 'b' },
		{ "budget", required_argument, NULL, 'B' },
		{ "hold", required_argument, NULL, 'H' },
		{ "inproc-echo", required_argument, NULL, 'I' },
		{ "licensing", required_argument, NULL, 1 },
		{ "license-server", required_argument, NULL, 2 },
		{ "license-product", required_argument, NULL, 3 },
		{ "license-lease", required_argument, NULL, 4 },
		{ "license-grace", required_argument, NULL, 5 },
		{ "license-grace-file", required_argument, NULL, 6 },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool no_desktop = false;
	struct passwd *pw;
	int c;

	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'a': cfg->address = optarg; break;
		case 'p': cfg->port = num_arg(optarg, 1, 65535); break;
		case 'c': cfg->cert_file = optarg; break;
		case 'k': cfg->key_file = optarg; break;
		case 'N': cfg->nla = true; break;
		case 'S': cfg->sam_file = optarg; break;
		case 'u': cfg->owner_name = optarg; break;
		case 'P': cfg->pam_service = optarg; break;
		case 'M': cfg->multi_session = true; break;
		case 'L': cfg->leader_path = optarg; break;
		case 'm': cfg->max_clients = num_arg(optarg, 1, 4096); break;
		case 'e': cfg->exec_cmd = optarg; break;
		case 'D': cfg->desktop_cmd = optarg; break;
		case 'X': no_desktop = true; break;
		case 'g': cfg->x_server = optarg; break;
		case 'C':
			if (!parse_codec(optarg, &cfg->codec)) {
				fprintf(stderr, "wtsvc-rdpd: --codec: auto, progressive, remotefx or planar\n");
				exit(2);
			}
			break;
		case 'G': cfg->shadow_group = optarg; break;
		case 'b': cfg->msgbox_path = optarg; break;
		case 'x': cfg->display_base = num_arg(optarg, 1, 32767); break;
		case 'B': cfg->chan_budget = num_arg(optarg, 1600, 64 << 20); break;
		case 'H': cfg->hold_bytes = num_arg(optarg, 65536, 1UL << 30); break;
		case 'I': cfg->inproc_echo = optarg; break;
		case 1:
			if (!strcmp(optarg, "per-device")) {
				cfg->licensing = RDPD_LICENSING_DEVICE;
			} else if (!strcmp(optarg, "per-user")) {
				cfg->licensing = RDPD_LICENSING_USER;
			} else if (strcmp(optarg, "none")) {
				fprintf(stderr, "wtsvc-rdpd: --licensing: per-device, per-user or none\n");
				exit(2);
			}
			break;
		case 2: cfg->license_server = optarg; break;
		case 3: cfg->license_product = optarg; break;
		case 4: cfg->license_lease_days = num_arg(optarg, 1, 3650); break;
		case 5: cfg->license_grace_days = num_arg(optarg, 0, 3650); break;
		case 6: cfg->license_grace_file = optarg; break;
		case 'v': cfg->verbose++; break;
		case 'V':
			printf("wtsvc-rdpd: FreeRDP %s (built with %s)\n",
			       freerdp_get_version_string(),
			       FREERDP_VERSION_FULL);
			exit(0);
		case 'h': usage(stdout, 0); break;
		default: usage(stderr, 2);
		}
	}
	if (optind != argc)
		usage(stderr, 2);
	if (cfg->sam_file && !cfg->nla) {
		fprintf(stderr, "wtsvc-rdpd: --sam needs --nla\n");
		exit(2);
	}
	if (cfg->licensing && FREERDP_VERSION_MAJOR < 3) {
		fprintf(stderr, "wtsvc-rdpd: --licensing needs the FreeRDP 3 build; this one (FreeRDP %d) runs without licensing\n",
			FREERDP_VERSION_MAJOR);
		exit(2);
	}
	if (cfg->licensing && cfg->inproc_echo) {
		fprintf(stderr, "wtsvc-rdpd: --licensing has no logons to license with --inproc-echo\n");
		exit(2);
	}
	if (!*cfg->license_product ||
	    strlen(cfg->license_product) > RDPD_LICENSE_PRODUCT_MAX) {
		fprintf(stderr, "wtsvc-rdpd: --license-product: 1 to %d characters\n",
			RDPD_LICENSE_PRODUCT_MAX);
		exit(2);
	}
	rdpd_verbose = cfg->verbose;
	cfg->pam = !cfg->owner_name && !cfg->inproc_echo;
	cfg->desktop = cfg->pam && !no_desktop;
	if (!cfg->pam) {
		pw = cfg->owner_name ? getpwnam(cfg->owner_name) :
		     getpwuid(getuid());
		if (!pw) {
			fprintf(stderr, "wtsvc-rdpd: no such user \"%s\"\n",
				cfg->owner_name ? cfg->owner_name : "(caller)");
			exit(2);
		}
		cfg->owner_uid = pw->pw_uid;
		return;
	}
	if (geteuid()) {
		fprintf(stderr, "wtsvc-rdpd: PAM logons need root (or --user NAME: no logons)\n");
		exit(2);
	}
	if (!cfg->leader_path)
		cfg->leader_path = beside_self("wtsvc-rdpd-session");
	if (access(cfg->leader_path, X_OK)) {
		fprintf(stderr, "wtsvc-rdpd: %s: %s\n", cfg->leader_path,
			strerror(errno));
		exit(2);
	}
	if (!cfg->desktop)
		return;
	if (!pick_x_server(cfg)) {
		fprintf(stderr, "wtsvc-rdpd: --x-server: xorg, xvfb or auto\n");
		exit(2);
	}
	if (!cfg->msgbox_path)
		cfg->msgbox_path = beside_self("wtsvc-msgbox");
	if (access(cfg->msgbox_path, X_OK)) {
		fprintf(stderr, "wtsvc-rdpd: %s: %s\n", cfg->msgbox_path,
			strerror(errno));
		exit(2);
	}
}

int main(int argc, char **argv)
{
	struct rdpd_config cfg = {
		.address = "127.0.0.1",
		.port = 3389,
		.cert_file = "/var/lib/wtsvc-rdpd/server.crt",
		.key_file = "/var/lib/wtsvc-rdpd/server.key",
		.max_clients = 16,
		.chan_budget = 256 * 1024,
		.hold_bytes = 4 << 20,
		.pam_service = "wtsvc-rdpd",
		.display_base = 10,
		.license_product = "RDS-CAL",
		.license_lease_days = 60,
		.license_grace_days = 120,	/* Windows' session hosts */
		.license_grace_file = "/var/lib/wtsvc-rdpd/license-grace",
	};
	struct sigaction sa = { .sa_handler = on_signal };
	pthread_t requests, host;
	freerdp_listener *l;
	WSADATA wsa;
	int ret = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	parse(argc, argv, &cfg);
	/* Each connection talks to its session's display from its thread. */
	rdpd_messages_init(cfg.msgbox_path);
	rdpd_shadow_init(cfg.shadow_group);
	if (cfg.desktop && !rdpd_display_setup()) {
		rdpd_log("Xlib without thread support");
		return 1;
	}
	/* Before any WTS call: libfreerdp's own calls go to its table. */
	rdpd_fr = FreeRDP_InitWtsApi();
	if (!rdpd_fr || !WTSRegisterWtsApiFunctionTable(rdpd_fr)) {
		rdpd_log("cannot register FreeRDP's WTS table");
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (rdpd_ensure_certificate(cfg.cert_file, cfg.key_file))
		return 1;
	winpr_InitializeSSL(WINPR_SSL_INIT_DEFAULT);
	WSAStartup(MAKEWORD(2, 2), &wsa);
	if (!cfg.inproc_echo && !wts_manager_open()) {
		rdpd_log("cannot become the session manager (Win32 %u): is wtsvc.ko loaded, and are we privileged?",
			 wts_last_error());
		return 1;
	}
	rdpd_host_init(&cfg);
	rdpd_license_init(&cfg);
	if (FREERDP_VERSION_MAJOR < 3 && !cfg.inproc_echo)
		rdpd_log("licensing: none, FreeRDP %d servers cannot license clients (the FreeRDP 3 build can)",
			 FREERDP_VERSION_MAJOR);
	if (!cfg.inproc_echo &&
	    (pthread_create(&requests, NULL, rdpd_requests_thread, &stopping) ||
	     pthread_create(&host, NULL, rdpd_host_thread, &host_stopping))) {
		rdpd_log("cannot start the request and host threads");
		return 1;
	}
	l = freerdp_listener_new();
	if (l) {
		l->info = &cfg;
		l->PeerAccepted = on_accept;
		if (l->Open(l, cfg.address, (UINT16)cfg.port)) {
			if (cfg.pam)
				rdpd_log("listening on %s:%u (TLS%s), logons through PAM service %s, %s",
					 cfg.address, cfg.port,
					 cfg.nla ? ", NLA" : "",
					 cfg.pam_service, cfg.multi_session ?
					 "a session per logon" :
					 "one session per user");
			else
				rdpd_log("listening on %s:%u (TLS%s), sessions owned by uid %u",
					 cfg.address, cfg.port,
					 cfg.nla ? ", NLA" : "",
					 (unsigned int)cfg.owner_uid);
			ret = listen_loop(l) ? 1 : 0;
			l->Close(l);
		} else {
			rdpd_log("cannot listen on %s:%u", cfg.address,
				 cfg.port);
		}
		freerdp_listener_free(l);
	}
	atomic_store(&stopping, true);
	if (!cfg.inproc_echo)
		rdpd_host_logoff_all(10000);
	end_all_peers();
	if (!cfg.inproc_echo) {
		pthread_join(requests, NULL);
		atomic_store(&host_stopping, true);
		pthread_join(host, NULL);
		wts_manager_close();
	}
	rdpd_license_exit();
	WSACleanup();
	rdpd_log("stopped");
	return ret;
}
