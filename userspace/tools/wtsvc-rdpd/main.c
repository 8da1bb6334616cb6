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
 *              [--inproc-echo SPEC] [--log-level LEVEL]
 *              [--log-target stderr|journal|syslog|auto] [-v]
 *              [--config FILE] [--check-config] [--version]
 *
 * Every option but the last three is also a key of the configuration
 * file (config.c); SIGHUP reads it again.
 */
#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <freerdp/listener.h>
#include <freerdp/channels/channels.h>
#include <winpr/ssl.h>
#include <winpr/winsock.h>
#include <systemd/sd-daemon.h>

#include "config.h"
#include "display.h"
#include "host.h"
#include "license.h"
#include "peer.h"
#include "wts_side.h"
#include "../wtsvc-rdpd-session/leader_proto.h"

rdpd_wts_table rdpd_fr;

static atomic_bool stopping;
static atomic_bool reload;		/* SIGHUP: the main loop reloads */
static int signal_fd = -1;		/* SIGHUP, SIGINT, SIGTERM */
static atomic_bool host_stopping;	/* after the sessions are gone */
static atomic_uint peers_alive;
void *rdpd_requests_thread(void *arg);

static void signal_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
}

/*
 * Before any thread: the signals are blocked in all of them (no thread's
 * system call is interrupted by one), and the main loop reads them.
 */
static bool signals_open(void)
{
	sigset_t set;

	signal_set(&set);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL))
		return false;
	signal_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return signal_fd >= 0;
}

static void signals_read(void)
{
	struct signalfd_siginfo si;

	while (read(signal_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			atomic_store(&reload, true);
		else
			atomic_store(&stopping, true);
	}
}

void rdpd_child_unblock(void)
{
	sigset_t set;

	signal_set(&set);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int rdpd_spawnattr(posix_spawnattr_t *attr)
{
	sigset_t none;
	int ret = posix_spawnattr_init(attr);

	if (ret)
		return ret;
	sigemptyset(&none);
	ret = posix_spawnattr_setsigmask(attr, &none);
	if (!ret)
		ret = posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGMASK);
	if (ret)
		posix_spawnattr_destroy(attr);
	return ret;
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
		rdpd_warn("%s: refused: %u clients already", client->hostname,
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
		rdpd_err("%s: cannot start a thread: %s", client->hostname,
			 strerror(ret));
		return FALSE;
	}
	rdpd_log("connection from %s", client->hostname);
	return TRUE;
}

static int listen_loop(freerdp_listener *l, struct rdpd_config *cfg)
{
	for (;;) {
		HANDLE handles[32];
		struct pollfd pfd[33];
		DWORD n;
		nfds_t k = 0;

		signals_read();
		if (atomic_load(&stopping))
			return 0;
		if (atomic_exchange(&reload, false)) {
			sd_notify(0, "RELOADING=1");
			rdpd_config_reload(cfg);
			sd_notify(0, "READY=1");
		}
		pfd[k].fd = signal_fd;
		pfd[k++].events = POLLIN;
		n = l->GetEventHandles(l, handles, 32);
		for (DWORD i = 0; i < n; i++) {
			pfd[k].fd = GetEventFileDescriptor(handles[i]);
			pfd[k].events = POLLIN;
			k += pfd[k].fd >= 0;
		}
		if (poll(pfd, k, 200) < 0 && errno != EINTR)
			return -errno;
		if (!l->CheckFileDescriptor(l)) {
			rdpd_err("the listener failed");
			return -EIO;
		}
	}
}

/* Ask every connection to end and wait for them (10 s at most). */
static void end_all_peers(void)
{
	rdpd_registry_end_all(RDPD_END_SHUTDOWN);
	for (int i = 0; i < 1000 && atomic_load(&peers_alive); i++)
		usleep(10000);
	if (atomic_load(&peers_alive))
		rdpd_warn("%u connections did not end",
			 atomic_load(&peers_alive));
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

/*
 * A helper program (allocated: main's lifetime): the one in this
 * program's directory when there is one (a build tree), else the
 * installed one in WTSVC_HELPER_DIR (config.h).
 */
static const char *helper_path(const char *name)
{
	char path[4096], *slash, *full;
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);

	path[n > 0 ? n : 0] = '\0';
	slash = strrchr(path, '/');
	if (slash) {
		*slash = '\0';
		if (asprintf(&full, "%s/%s", path, name) < 0)
			return name;
		if (!access(full, X_OK))
			return full;
		free(full);
	}
	if (asprintf(&full, "%s/%s", WTSVC_HELPER_DIR, name) < 0)
		return name;
	return full;
}

/* What the machine must have for the configuration (after config.c). */
static void settle(struct rdpd_config *cfg)
{
	struct passwd *pw;

	cfg->pam = !cfg->owner_name && !cfg->inproc_echo;
	cfg->desktop = cfg->pam && !cfg->no_desktop;
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
		cfg->leader_path = helper_path("wtsvc-rdpd-session");
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
		cfg->msgbox_path = helper_path("wtsvc-msgbox");
	if (access(cfg->msgbox_path, X_OK)) {
		fprintf(stderr, "wtsvc-rdpd: %s: %s\n", cfg->msgbox_path,
			strerror(errno));
		exit(2);
	}
}

/*
 * A system service has no $HOME (systemd sets it only with User=), and
 * FreeRDP's peer context fails without it (its configuration path): the
 * running user's home from the password database, before any thread.
 */
static void home_from_passwd(void)
{
	struct passwd *pw;

	if (getenv("HOME"))
		return;
	pw = getpwuid(geteuid());
	setenv("HOME", pw && pw->pw_dir && *pw->pw_dir ? pw->pw_dir : "/", 1);
}

int main(int argc, char **argv)
{
	struct rdpd_config cfg;
	pthread_t requests, host;
	freerdp_listener *l;
	WSADATA wsa;
	int ret = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	rdpd_config_parse(argc, argv, &cfg);
	settle(&cfg);
	home_from_passwd();
	/* Before FreeRDP's first line: WLog goes where ours go. */
	rdpd_log_open(cfg.log_target,
		      cfg.verbose ? RDPD_LOG_DEBUG : cfg.log_level);
	if (!signals_open()) {
		rdpd_err("signalfd: %s", strerror(errno));
		return 1;
	}
	/* Each connection talks to its session's display from its thread. */
	rdpd_messages_init(cfg.msgbox_path);
	rdpd_shadow_init(cfg.shadow_group);
	if (cfg.desktop && !rdpd_display_setup()) {
		rdpd_err("Xlib without thread support");
		return 1;
	}
	/* Before any WTS call: libfreerdp's own calls go to its table. */
	rdpd_fr = FreeRDP_InitWtsApi();
	if (!rdpd_fr || !WTSRegisterWtsApiFunctionTable(rdpd_fr)) {
		rdpd_err("cannot register FreeRDP's WTS table");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	if (rdpd_ensure_certificate(cfg.cert_file, cfg.key_file))
		return 1;
	winpr_InitializeSSL(WINPR_SSL_INIT_DEFAULT);
	WSAStartup(MAKEWORD(2, 2), &wsa);
	if (!cfg.inproc_echo && !wts_manager_open()) {
		rdpd_err("cannot become the session manager (Win32 %u): is wtsvc.ko loaded, and are we privileged?",
			 wts_last_error());
		return 1;
	}
	rdpd_host_init(&cfg);
	rdpd_license_init(&cfg);
	if (FREERDP_VERSION_MAJOR < 3 && !cfg.inproc_echo)
		rdpd_notice("licensing: none, FreeRDP %d servers cannot license clients (the FreeRDP 3 build can)",
			 FREERDP_VERSION_MAJOR);
	if (!cfg.inproc_echo &&
	    (pthread_create(&requests, NULL, rdpd_requests_thread, &stopping) ||
	     pthread_create(&host, NULL, rdpd_host_thread, &host_stopping))) {
		rdpd_err("cannot start the request and host threads");
		return 1;
	}
	l = freerdp_listener_new();
	if (l) {
		l->info = &cfg;
		l->PeerAccepted = on_accept;
		if (l->Open(l, cfg.address, (UINT16)cfg.port)) {
			if (cfg.pam)
				rdpd_notice("listening on %s:%u (TLS%s), logons through PAM service %s, %s",
					 cfg.address, cfg.port,
					 cfg.nla ? ", NLA" : "",
					 cfg.pam_service, cfg.multi_session ?
					 "a session per logon" :
					 "one session per user");
			else
				rdpd_notice("listening on %s:%u (TLS%s), sessions owned by uid %u",
					 cfg.address, cfg.port,
					 cfg.nla ? ", NLA" : "",
					 (unsigned int)cfg.owner_uid);
			sd_notify(0, "READY=1");
			ret = listen_loop(l, &cfg) ? 1 : 0;
			sd_notify(0, "STOPPING=1");
			l->Close(l);
		} else {
			rdpd_err("cannot listen on %s:%u", cfg.address,
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
	rdpd_notice("stopped");
	return ret;
}
