#include "hashes.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

#define NSLOTS 1024
#define TEXT_MAX 192 /* SHA1=40,MD5=32,SHA256=64 + names */

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

static int hash_fd(int fd, unsigned algs, char *out, size_t cap)
{
	EVP_MD_CTX *ctx[NALGOS] = { 0 };
	unsigned char buf[65536];
	ssize_t n;
	int err = 0;
	size_t len = 0;

	for (int i = 0; i < NALGOS; i++) {
		if (!(algs & algos[i].bit))
			continue;
		ctx[i] = EVP_MD_CTX_new();
		if (!ctx[i] || !EVP_DigestInit_ex(ctx[i], algos[i].md(), NULL))
			err = -ENOMEM;
	}
	while (!err && (n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		for (int i = 0; i < NALGOS; i++)
			if (ctx[i])
				EVP_DigestUpdate(ctx[i], buf, (size_t)n);
	}
	out[0] = '\0';
	for (int i = 0; i < NALGOS; i++) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned mdlen = 0;

		if (!ctx[i])
			continue;
		if (!err && EVP_DigestFinal_ex(ctx[i], md, &mdlen)) {
			len += (size_t)snprintf(out + len, cap - len, "%s%s=",
						len ? "," : "", algos[i].name);
			for (unsigned j = 0; j < mdlen && len + 3 < cap; j++)
				len += (size_t)snprintf(out + len, cap - len,
							"%02x", md[j]);
		}
		EVP_MD_CTX_free(ctx[i]);
	}
	return err;
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

static size_t slot_of(const struct sm_file_id *id)
{
	uint64_t h = id->ino * 0x9e3779b97f4a7c15ull ^ id->dev ^
		     (uint64_t)id->mtime_sec * 31 ^ id->size;

	return (size_t)(h % NSLOTS);
}

/* Is the open file the one the kernel saw executed? */
static bool same_file(int fd, const struct sm_file_id *id)
{
	struct stat st;

	return fstat(fd, &st) == 0 && (uint64_t)st.st_ino == id->ino &&
	       (uint64_t)st.st_size == id->size &&
	       st.st_mtim.tv_sec == id->mtime_sec &&
	       (uint32_t)st.st_mtim.tv_nsec == id->mtime_nsec;
}

/* The executed file: through /proc/pid/exe while the process lives (the
 * exact file, in any mount namespace, even deleted), else by its path when
 * that is still the same file (short-lived processes are often gone). */
static int open_exe(uint32_t pid, const char *path, const struct sm_file_id *id)
{
	char exe[64];
	int fd;

	snprintf(exe, sizeof(exe), "/proc/%u/exe", pid);
	fd = open(exe, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && same_file(fd, id))
		return fd;
	if (fd >= 0)
		close(fd);
	if (!path)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && same_file(fd, id))
		return fd;
	if (fd >= 0)
		close(fd);
	return -1;
}

const char *sm_exe_hashes(unsigned algs, const struct sm_file_id *id,
			  uint32_t pid, const char *path)
{
	struct slot *s = &slots[slot_of(id)];
	int fd, err;

	algs &= SM_HASH_SHA1 | SM_HASH_MD5 | SM_HASH_SHA256;
	if (!algs)
		return NULL;
	if (s->used && s->algs == algs && !memcmp(&s->id, id, sizeof(*id)))
		return s->text;
	s->used = false;
	fd = open_exe(pid, path, id);
	if (fd < 0)
		return NULL;
	err = hash_fd(fd, algs, s->text, sizeof(s->text));
	close(fd);
	if (err)
		return NULL;
	s->id = *id;
	s->algs = algs;
	s->used = true;
	return s->text;
}
