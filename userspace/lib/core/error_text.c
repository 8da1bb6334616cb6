// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * wtsvc_error_text: Windows' system message (FormatMessage with
 * FORMAT_MESSAGE_FROM_SYSTEM, English) for each Win32 code this library
 * reports, and for the codes a session manager answers through it
 * (remote control, logon, session states).  A sorted constant table:
 * no state, safe from any thread.
 */
#include <stdlib.h>

#include "core_internal.h"

struct error_text {
	DWORD code;
	const char *text;
};

/* Sorted by code (tests/host/version_test.c checks it). */
static const struct error_text texts[] = {
	{ 0, "The operation completed successfully." },
	{ 2, "The system cannot find the file specified." },
	{ 5, "Access is denied." },
	{ 6, "The handle is invalid." },
	{ 8, "Not enough memory resources are available to process this command." },
	{ 13, "The data is invalid." },
	{ 21, "The device is not ready." },
	{ 50, "The request is not supported." },
	{ 87, "The parameter is incorrect." },
	{ 120, "This function is not supported on this system." },
	{ 122, "The data area passed to a system call is too small." },
	{ 170, "The requested resource is in use." },
	{ 183, "Cannot create a file when that file already exists." },
	{ 232, "The pipe is being closed." },
	{ 234, "More data is available." },
	{ 329, "An operation is currently in progress with the device." },
	{ 995, "The I/O operation has been aborted because of either a thread exit or an application request." },
	{ 996, "Overlapped I/O event is not in a signaled state." },
	{ 1008, "An attempt was made to reference a token that does not exist." },
	{ 1062, "The service has not been started." },
	{ 1168, "Element not found." },
	{ 1236, "The network connection was aborted by the local system." },
	{ 1306, "Indicates two revision levels are incompatible." },
	{ 1314, "A required privilege is not held by the client." },
	{ 1317, "The specified account does not exist." },
	{ 1326, "The user name or password is incorrect." },
	{ 1460, "This operation returned because the timeout period expired." },
	{ 1581, "Invalid message box style." },
	{ 1702, "The binding handle is invalid." },
	{ 1722, "The RPC server is unavailable." },
	{ 1784, "The supplied user buffer is not valid for the requested operation." },
	{ 7007, "A close operation is pending on the session." },
	{ 7024, "The requested operation cannot be completed because the terminal connection is currently busy processing a connect, disconnect, reset, or delete operation." },
	{ 7044, "The request to control another session remotely was denied." },
	{ 7045, "The requested session access is denied." },
	{ 7050, "The requested session cannot be controlled remotely. This may be because the session is disconnected or does not currently have a user logged on." },
	{ 7051, "The requested session is not configured to allow remote control." },
	{ 7057, "Remote control could not be terminated because the specified session is not currently being remotely controlled." },
};

static int by_code(const void *key, const void *elem)
{
	DWORD a = *(const DWORD *)key, b = ((const struct error_text *)elem)->code;

	return a < b ? -1 : a > b;
}

const char *wtsvc_error_text(DWORD code)
{
	const struct error_text *t = bsearch(&code, texts,
					     sizeof(texts) / sizeof(texts[0]),
					     sizeof(texts[0]), by_code);

	return t ? t->text : NULL;
}
