// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The protocol end of a session's channels (wtsvc.h): what an RDP server
 * or bridge does on the session device.  It announces the static channels
 * the client joined, takes the dynamic opens applications make, and
 * accepts or refuses each one with the client's answer.  Every call needs
 * the session manager's privilege, as the kernel checks.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/wtsvc.h>

#include "core_internal.h"

static int bind_or_fail(DWORD session, struct wtsvc_channel_open *op)
{
	int fd;

	if (!session || session == WTS_CURRENT_SESSION ||
	    session > WTSVC_SESSION_ID_MAX) {
		wtsvc_fail(ERROR_INVALID_PARAMETER);
		return -1;
	}
	fd = wtsvc_protocol_bind(session, op);
	if (fd < 0) {
		wtsvc_fail(fd == -EPERM ? ERROR_ACCESS_DENIED :
			   fd == -ENODEV ? ERROR_NOT_FOUND :
			   wtsvc_errno_to_win32(fd));
		return -1;
	}
	wtsvc_ok();
	return fd;
}

int wtsvc_protocol_announce(DWORD SessionId, const char *Name,
			    DWORD Options)
{
	struct wtsvc_channel_open op = {
		.size = sizeof(op),
		.end = WTSVC_END_PROTOCOL,
		.options = Options,
	};

	if (!Name || !*Name || strlen(Name) > WTSVC_STATIC_NAME_MAX ||
	    (Options & ~WTSVC_OPTION_SHOW_PROTOCOL)) {
		wtsvc_fail(ERROR_INVALID_PARAMETER);
		return -1;
	}
	strcpy(op.name, Name);
	return bind_or_fail(SessionId, &op);
}

int wtsvc_protocol_accept(DWORD SessionId, UINT64 OfferId)
{
	struct wtsvc_channel_open op = {
		.size = sizeof(op),
		.end = WTSVC_END_PROTOCOL,
		.offer_id = OfferId,
	};

	if (!OfferId) {
		wtsvc_fail(ERROR_INVALID_PARAMETER);
		return -1;
	}
	return bind_or_fail(SessionId, &op);
}

int wtsvc_protocol_open_offers(DWORD SessionId)
{
	struct wtsvc_offer_bind l = { .size = sizeof(l) };
	int fd, ret;

	if (!SessionId || SessionId == WTS_CURRENT_SESSION ||
	    SessionId > WTSVC_SESSION_ID_MAX) {
		wtsvc_fail(ERROR_INVALID_PARAMETER);
		return -1;
	}
	fd = wtsvc_session_open(SessionId, O_RDWR | O_NONBLOCK);
	if (fd < 0) {
		wtsvc_fail(fd == -ENODEV ? ERROR_NOT_FOUND :
			   wtsvc_errno_to_win32(fd));
		return -1;
	}
	ret = ioctl(fd, WTSVC_IOC_OFFER_BIND, &l) ? -errno : 0;
	if (ret) {
		close(fd);
		wtsvc_fail(ret == -EPERM ? ERROR_ACCESS_DENIED :
			   wtsvc_errno_to_win32(ret));
		return -1;
	}
	wtsvc_ok();
	return fd;
}

BOOL wtsvc_protocol_next_offer(int OfferFd,
			       struct wtsvc_offer *Offer)
{
	ssize_t n;

	if (OfferFd < 0 || !Offer)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	n = read(OfferFd, Offer, sizeof(*Offer));
	if (n < 0)
		return wtsvc_fail(errno == EAGAIN ? ERROR_NO_DATA :
				  wtsvc_errno_to_win32(-errno));
	if ((size_t)n < sizeof(*Offer) ||
	    Offer->name[sizeof(Offer->name) - 1])
		return wtsvc_fail(ERROR_INVALID_DATA);
	return wtsvc_ok();
}

BOOL wtsvc_protocol_refuse(int OfferFd, UINT64 OfferId,
			   INT32 Status)
{
	struct wtsvc_offer_refuse r = {
		.size = sizeof(r),
		.status = Status,
		.offer_id = OfferId,
	};

	if (OfferFd < 0 || Status >= 0)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	if (ioctl(OfferFd, WTSVC_IOC_OFFER_REFUSE, &r))
		return wtsvc_fail_errno(-errno);
	return wtsvc_ok();
}
