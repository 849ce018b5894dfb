/* SPDX-License-Identifier: MIT */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* open_by_handle_at */
#endif
#include "hashes.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "config.h"

#define NSLOTS 1024
#define TEXT_MAX 192 /* SHA1=40,MD5=32,SHA256=64 + names */
/* Files being hashed at once; more than that and the next gets
 * SM_HASH_BUSY. The worker goes on with the one it has read least of,
 * CHUNK bytes at a time, so a new file is started within one chunk's time
 * however large the others are. */
#define NJOBS 256
#define CHUNK (4u << 20)
#define WORKER_NICE 10

struct slot {
	struct sm_file_id id;
	unsigned algs;
	bool used;
	char text[TEXT_MAX];
};

static struct slot slots[NSLOTS];

static const struct {
	unsigned bit;
	const char *name;
	const EVP_MD *(*md)(void);
} algos[] = {
	{ SM_HASH_SHA1, "SHA1", EVP_sha1 },
	{ SM_HASH_MD5, "MD5", EVP_md5 },
	{ SM_HASH_SHA256, "SHA256", EVP_sha256 },
};
#define NALGOS 3

/* One file being hashed. */
struct job {
	int fd;
	unsigned algs;
	int err;
	unsigned refs; /* execs waiting for it (one file, one job) */
	uint64_t read; /* bytes so far */
	struct sm_file_id id;
	uint32_t pid;    /* the process whose exec it is */
	bool no_writers; /* that exec shut out the file's writers */
	EVP_MD_CTX *ctx[NALGOS];
	char text[TEXT_MAX];
};

enum { JOB_FREE, JOB_QUEUED, JOB_DONE };

/* The worker thread and its jobs: a QUEUED job is the worker's, a DONE one
 * the event thread's (state changes under mu). */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	bool started, stop;
	int state[NJOBS];
	struct job jobs[NJOBS];
} w = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

static int job_init(struct job *j, int fd, unsigned algs)
{
	j->fd = fd;
	j->algs = algs;
	j->err = 0;
	j->refs = 1;
	j->read = 0;
	for (int i = 0; i < NALGOS; i++) {
		j->ctx[i] = NULL;
		if (!(algs & algos[i].bit))
			continue;
		j->ctx[i] = EVP_MD_CTX_new();
		if (!j->ctx[i] ||
		    !EVP_DigestInit_ex(j->ctx[i], algos[i].md(), NULL))
			j->err = -ENOMEM;
	}
	return j->err;
}

static void job_update(struct job *j, const void *b, size_t n)
{
	for (int i = 0; i < NALGOS; i++)
		if (j->ctx[i])
			EVP_DigestUpdate(j->ctx[i], b, n);
}

/* Reads and hashes up to max bytes; 1 when the file is done (or failed). */
static int job_step(struct job *j, size_t max)
{
	static _Thread_local unsigned char buf[65536];
	size_t done = 0;
	ssize_t n;

	while (!j->err && done < max) {
		n = read(j->fd, buf, sizeof(buf));
		if (n == 0)
			return 1;
		if (n < 0) {
			if (errno != EINTR)
				j->err = -errno;
			continue;
		}
		job_update(j, buf, (size_t)n);
		done += (size_t)n;
		j->read += (uint64_t)n;
	}
	return j->err != 0;
}

/* The text of a finished job into out; frees its digests. */
static int job_finish(struct job *j, char *out, size_t cap)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < NALGOS; i++) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned mdlen = 0;

		if (!j->ctx[i])
			continue;
		if (!j->err && EVP_DigestFinal_ex(j->ctx[i], md, &mdlen)) {
			len += (size_t)snprintf(out + len, cap - len, "%s%s=",
						len ? "," : "", algos[i].name);
			for (unsigned k = 0; k < mdlen && len + 3 < cap; k++)
				len += (size_t)snprintf(out + len, cap - len,
							"%02x", md[k]);
		}
		EVP_MD_CTX_free(j->ctx[i]);
		j->ctx[i] = NULL;
	}
	return j->err;
}

static int hash_fd(int fd, unsigned algs, char *out, size_t cap)
{
	struct job j;

	job_init(&j, fd, algs);
	while (!job_step(&j, SIZE_MAX))
		;
	return job_finish(&j, out, cap);
}

int sm_file_hashes(unsigned algs, const char *path, char *out, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err;

	if (fd < 0)
		return -errno;
	err = hash_fd(fd, algs & (SM_HASH_SHA1 | SM_HASH_MD5 | SM_HASH_SHA256),
		      out, cap);
	close(fd);
	return err;
}

int sm_buf_hashes(unsigned algs, const void *buf, size_t len, char *out,
		  size_t cap)
{
	struct job j;

	if (!job_init(&j, -1,
		      algs & (SM_HASH_SHA1 | SM_HASH_MD5 | SM_HASH_SHA256)))
		job_update(&j, buf, len);
	return job_finish(&j, out, cap);
}

static size_t slot_of(const struct sm_file_id *id)
{
	uint64_t h = id->ino * 0x9e3779b97f4a7c15ull ^ id->dev ^
		     (uint64_t)id->mtime_sec * 31 ^ id->size ^
		     ((uint64_t)id->ctime_sec << 20 ^ id->ctime_nsec) * 17;

	return (size_t)(h % NSLOTS);
}

/* Is the open file the one the kernel saw executed, unchanged since? Any
 * write or attribute change moves ctime, which no user can set back. */
static bool same_file(int fd, const struct sm_file_id *id)
{
	struct stat st;

	return fstat(fd, &st) == 0 && (uint64_t)st.st_ino == id->ino &&
	       (uint64_t)st.st_size == id->size &&
	       st.st_mtim.tv_sec == id->mtime_sec &&
	       (uint32_t)st.st_mtim.tv_nsec == id->mtime_nsec &&
	       st.st_ctim.tv_sec == id->ctime_sec &&
	       (uint32_t)st.st_ctim.tv_nsec == id->ctime_nsec;
}

/* The running process's own file, whose writers its exec shut out
 * (no_writers): its bytes are those that ran, though its ctime may have
 * moved since (unlinked, chmod'ed after the exec), as long as the process
 * still runs once the file is looked at. Its identity now (to check again
 * after the read) goes to *now. */
static bool same_running(int fd, uint32_t pid, const struct sm_file_id *id,
			 struct sm_file_id *now)
{
	struct stat st, exe;
	char name[64];

	if (fstat(fd, &st) || (uint64_t)st.st_ino != id->ino ||
	    (uint64_t)st.st_size != id->size ||
	    st.st_mtim.tv_sec != id->mtime_sec ||
	    (uint32_t)st.st_mtim.tv_nsec != id->mtime_nsec)
		return false;
	snprintf(name, sizeof(name), "/proc/%u/exe", pid);
	if (stat(name, &exe) || exe.st_ino != st.st_ino ||
	    exe.st_dev != st.st_dev)
		return false;
	now->ctime_sec = st.st_ctim.tv_sec;
	now->ctime_nsec = (uint32_t)st.st_ctim.tv_nsec;
	return true;
}

/* Directories of file systems, by device (the kernel's encoding), open
 * for open_by_handle_at (which takes no O_PATH fd); found in our
 * mountinfo once and kept. */
#define NMOUNTS 16
static struct {
	uint32_t dev;
	int fd1; /* the fd + 1; 0: free */
} mounts[NMOUNTS];

static int mount_fd(uint32_t dev)
{
	char line[4096], dir[4096];
	unsigned maj, min;
	FILE *f;
	int fd = -1, i;

	for (i = 0; i < NMOUNTS && mounts[i].fd1; i++)
		if (mounts[i].dev == dev)
			return mounts[i].fd1 - 1;
	if (i == NMOUNTS || !(f = fopen("/proc/self/mountinfo", "re")))
		return -1;
	while (fd < 0 && fgets(line, sizeof(line), f))
		if (sscanf(line, "%*d %*d %u:%u %*s %4095s", &maj, &min, dir) ==
			    3 &&
		    maj == dev >> 20 && min == (dev & 0xfffff))
			fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	fclose(f);
	if (fd >= 0) {
		mounts[i].dev = dev;
		mounts[i].fd1 = fd + 1;
	}
	return fd;
}

/* The file by its inode number and generation, the file handle of
 * ext2/3/4 and xfs (FILEID_INO32_GEN), on a file system we have mounted:
 * the file that ran, wherever it was mounted, once no path here names it
 * and its process is gone. -1 when it cannot be opened so. */
static int open_handle(const struct sm_file_id *id)
{
	union {
		struct file_handle h;
		char room[sizeof(struct file_handle) + 2 * sizeof(uint32_t)];
	} u;
	uint32_t v[2] = { (uint32_t)id->ino, id->gen };
	int mfd;

	if (id->ino > UINT32_MAX || (mfd = mount_fd(id->dev)) < 0)
		return -1;
	u.h.handle_bytes = sizeof(v);
	u.h.handle_type = 1; /* FILEID_INO32_GEN */
	memcpy(u.h.f_handle, v, sizeof(v));
	return open_by_handle_at(mfd, &u.h, O_RDONLY | O_CLOEXEC);
}

/* The executed file: through /proc/pid/exe while the process lives (the
 * exact file, in any mount namespace, even deleted), else by its path when
 * that is still the same file (short-lived processes are often gone),
 * else by its file handle (open_handle).
 * *now: the identity to check the file against after the read.
 * -ESTALE: a file was found, but not that version of it; -ENOENT: none. */
static int open_exe(uint32_t pid, const char *path, const struct sm_file_id *id,
		    bool no_writers, struct sm_file_id *now)
{
	const char *names[2] = { NULL, path };
	char exe[64];
	int err = -ENOENT, fd;

	*now = *id;
	snprintf(exe, sizeof(exe), "/proc/%u/exe", pid);
	names[0] = exe;
	for (int i = 0; i < 2 && names[i]; i++) {
		fd = open(names[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (same_file(fd, id) ||
		    (i == 0 && no_writers && same_running(fd, pid, id, now)))
			return fd;
		close(fd);
		err = -ESTALE;
	}
	fd = open_handle(id);
	if (fd >= 0 && same_file(fd, id))
		return fd;
	if (fd >= 0)
		close(fd);
	return err;
}

/* The queued job read least so far. */
static struct job *next_queued(void)
{
	struct job *best = NULL;

	for (unsigned i = 0; i < NJOBS; i++)
		if (w.state[i] == JOB_QUEUED &&
		    (!best || w.jobs[i].read < best->read))
			best = &w.jobs[i];
	return best;
}

/* A finished job: its text, or why there is none. Changed while read:
 * what was read may be of neither version. The running process's own
 * file is judged as when it was opened (same_running): its ctime may move
 * during the read (unlinked, chmod'ed) while its bytes cannot. */
static void job_done(struct job *j)
{
	struct sm_file_id now;

	if (job_finish(j, j->text, sizeof(j->text)) == 0 &&
	    !same_file(j->fd, &j->id) &&
	    !(j->no_writers && same_running(j->fd, j->pid, &j->id, &now)))
		j->err = -ESTALE;
	close(j->fd);
	j->fd = -1;
}

static void *worker(void *arg)
{
	(void)arg;
	/* below the event thread: reading a huge file must not take its CPU */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), WORKER_NICE);
	pthread_mutex_lock(&w.mu);
	while (!w.stop) {
		struct job *j = next_queued();
		int fin;

		if (!j) {
			pthread_cond_wait(&w.cv, &w.mu);
			continue;
		}
		pthread_mutex_unlock(&w.mu);
		fin = job_step(j, CHUNK);
		if (fin)
			job_done(j);
		pthread_mutex_lock(&w.mu);
		if (fin)
			w.state[j - w.jobs] = JOB_DONE;
	}
	pthread_mutex_unlock(&w.mu);
	return NULL;
}

/* A job for this version of the file already (under mu): its number. */
static int same_job(unsigned algs, const struct sm_file_id *id)
{
	for (int i = 0; i < NJOBS; i++) {
		struct job *j = &w.jobs[i];

		if (w.state[i] != JOB_FREE && j->algs == algs &&
		    !memcmp(&j->id, id, sizeof(*id))) {
			j->refs++;
			return i;
		}
	}
	return -1;
}

/* Queues open file fd for hashing (a job for the same version of the file
 * takes this exec too: fd is closed): the job's number, or -EBUSY when
 * all are taken. */
static int submit(int fd, unsigned algs, const struct sm_file_id *id,
		  uint32_t pid, bool no_writers)
{
	int n;

	pthread_mutex_lock(&w.mu);
	if (!w.started && !w.stop &&
	    pthread_create(&w.thread, NULL, worker, NULL) == 0)
		w.started = true;
	n = w.started ? same_job(algs, id) : -EBUSY;
	if (n >= 0)
		close(fd);
	else
		n = -EBUSY;
	for (int i = 0; w.started && i < NJOBS && n < 0; i++) {
		if (w.state[i] != JOB_FREE)
			continue;
		w.jobs[i].id = *id;
		w.jobs[i].pid = pid;
		w.jobs[i].no_writers = no_writers;
		job_init(&w.jobs[i], fd, algs);
		w.state[i] = JOB_QUEUED;
		n = i;
	}
	pthread_cond_signal(&w.cv);
	pthread_mutex_unlock(&w.mu);
	return n;
}

int sm_exe_hashes(unsigned algs, const struct sm_file_id *id, uint32_t pid,
		  const char *path, bool no_writers, bool may_queue,
		  const char **text)
{
	struct slot *s = &slots[slot_of(id)];
	struct sm_file_id now;
	int fd, job;

	*text = NULL;
	algs &= SM_HASH_SHA1 | SM_HASH_MD5 | SM_HASH_SHA256;
	if (!algs)
		return -ENOENT;
	if (id->size > SM_HASH_MAX_SIZE) {
		*text = SM_HASH_TOO_LARGE;
		return -EFBIG;
	}
	if (s->used && s->algs == algs && !memcmp(&s->id, id, sizeof(*id))) {
		*text = s->text;
		return -ENOENT;
	}
	fd = open_exe(pid, path, id, no_writers, &now);
	if (fd < 0) {
		*text = fd == -ESTALE ? SM_HASH_CHANGED : SM_HASH_GONE;
		return fd;
	}
	job = may_queue ? submit(fd, algs, &now, pid, no_writers) : -EBUSY;
	if (job < 0) {
		close(fd);
		*text = SM_HASH_BUSY;
	}
	return job;
}

bool sm_hash_finished(int job)
{
	bool done;

	pthread_mutex_lock(&w.mu);
	done = w.state[job] == JOB_DONE;
	pthread_mutex_unlock(&w.mu);
	return done;
}

const char *sm_hash_text(int job)
{
	const struct job *j = &w.jobs[job];

	if (j->err == -ESTALE)
		return SM_HASH_CHANGED;
	if (j->err == -ECANCELED)
		return SM_HASH_STOPPED;
	return j->err ? NULL : j->text;
}

void sm_hash_release(int job)
{
	struct job *j = &w.jobs[job];
	struct slot *s = &slots[slot_of(&j->id)];

	if (--j->refs)
		return;
	if (!j->err) {
		s->id = j->id;
		s->algs = j->algs;
		memcpy(s->text, j->text, sizeof(s->text));
		s->used = true;
	}
	pthread_mutex_lock(&w.mu);
	w.state[job] = JOB_FREE;
	pthread_mutex_unlock(&w.mu);
}

void sm_hash_stop(void)
{
	pthread_mutex_lock(&w.mu);
	w.stop = true;
	pthread_cond_signal(&w.cv);
	pthread_mutex_unlock(&w.mu);
	if (w.started)
		pthread_join(w.thread, NULL);
	w.started = false;
	for (int i = 0; i < NJOBS; i++) {
		if (w.state[i] != JOB_QUEUED)
			continue;
		w.jobs[i].err = -ECANCELED;
		job_done(&w.jobs[i]);
		w.state[i] = JOB_DONE;
	}
}
