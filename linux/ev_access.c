/* SPDX-License-Identifier: MIT */
/* ProcessAccess (10): ptrace attach/seize and process_vm_readv/writev.
 * GrantedAccess says which (Windows access-right bits, README table):
 * 0x1fffff (PROCESS_ALL_ACCESS) for ptrace ATTACH and SEIZE, 0x10
 * (PROCESS_VM_READ) for process_vm_readv, 0x20 (PROCESS_VM_WRITE) for
 * process_vm_writev. CallTrace has no Linux meaning: "-". */
#include <stdio.h>

#include "daemon.h"
#include "ev_who.h"
#include "events.h"
#include "loader.h"
#include "record.h"
#include "sink.h"
#include "sm_fields.h"

enum { SM_PA_IMAGE, SM_PA_TARGET_IMAGE }; /* record strings */

struct access_text {
	char utc[SM_UTCTIME_LEN + 1];
	char access[16];
	struct sm_who src, dst;
};
_Static_assert(sizeof(struct access_text) <= SM_SCRATCH_SIZE,
	       "the ProcessAccess text fits the daemon's scratch");

/* Where the loader attaches the programs that emit this record type
 * (SM_REC_PROC_ACCESS). */
const struct sm_attach sm_attach_proc_access[] = {
	/* ProcessAccess (10): ptrace attach/seize, process_vm_readv/writev */
	{ "sm_ptrace_enter", "syscalls", "sys_enter_ptrace",
	  SM_EV_PROCESS_ACCESS },
	{ "sm_ptrace_exit", "syscalls", "sys_exit_ptrace",
	  SM_EV_PROCESS_ACCESS },
	{ "sm_sys_enter", "syscalls", "sys_enter_process_vm_readv",
	  SM_EV_PROCESS_ACCESS },
	{ "sm_vmread_exit", "syscalls", "sys_exit_process_vm_readv",
	  SM_EV_PROCESS_ACCESS },
	{ "sm_sys_enter", "syscalls", "sys_enter_process_vm_writev",
	  SM_EV_PROCESS_ACCESS },
	{ "sm_vmwrite_exit", "syscalls", "sys_exit_process_vm_writev",
	  SM_EV_PROCESS_ACCESS },
	{ 0 } /* end */
};

void sm_on_proc_access(struct sm_daemon *d, const struct sm_record *r)
{
	const struct sm_rec_proc_access *e = SM_REC(r, struct sm_rec_proc_access);
	struct sm_event ev = { .type = sm_schema_event(SM_EV_PROCESS_ACCESS) };
	struct access_text *x = d->scratch;

	if (!ev.type)
		return;
	sm_record_utctime(d, e->h.ktime, x->utc);
	sm_who_of_kernel(d, &e->t, r->s[SM_PA_IMAGE],
			 !!(e->flags & SM_RF_SOURCE_DELETED), &x->src);
	if (e->flags & SM_RF_TARGET_KNOWN)
		sm_who_of_kernel(d, &e->target, r->s[SM_PA_TARGET_IMAGE],
				 !!(e->flags & SM_RF_TARGET_DELETED), &x->dst);
	else /* gone before the call's end: the process now with that pid */
		sm_who_of_pid(d, e->target.pid, 0, 0, 0, 0, &x->dst);
	snprintf(x->access, sizeof(x->access), "0x%x", e->access);
	ev.f[SM_PROCESSACCESS_UTCTIME] = sm_cstr(x->utc);
	ev.f[SM_PROCESSACCESS_SOURCEPROCESSGUID] = sm_cstr(x->src.guid);
	ev.f[SM_PROCESSACCESS_SOURCEPROCESSID] = sm_cstr(x->src.pid);
	ev.f[SM_PROCESSACCESS_SOURCETHREADID] = sm_cstr(x->src.tid);
	ev.f[SM_PROCESSACCESS_SOURCEIMAGE] = sm_who_image(&x->src);
	ev.f[SM_PROCESSACCESS_TARGETPROCESSGUID] = sm_cstr(x->dst.guid);
	ev.f[SM_PROCESSACCESS_TARGETPROCESSID] = sm_cstr(x->dst.pid);
	ev.f[SM_PROCESSACCESS_TARGETIMAGE] = sm_who_image(&x->dst);
	ev.f[SM_PROCESSACCESS_GRANTEDACCESS] = sm_cstr(x->access);
	ev.f[SM_PROCESSACCESS_SOURCEUSER] = sm_who_user(&x->src);
	ev.f[SM_PROCESSACCESS_TARGETUSER] = sm_who_user(&x->dst);
	sm_filter_and_log(d, &ev);
}
