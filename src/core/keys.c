/* keys.c - master key file and derived purpose keys (see keys.h). */
#include "core/keys.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint8_t master[KEY_BYTES];
static int loaded;

int keys_load(const char *path, int create, char *err, size_t errlen)
{
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium could not initialise");
        return -1;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
            snprintf(err, errlen, "cannot create key file %s: %s", path, strerror(errno));
            return -1;
        }
        randombytes_buf(master, sizeof master);
        ssize_t w = write(fd, master, sizeof master);
        if (w != (ssize_t)sizeof master || fsync(fd) != 0) {
            close(fd);
            unlink(path);
            snprintf(err, errlen, "cannot write key file %s", path);
            return -1;
        }
        close(fd);
        loaded = 1;
        return 0;
    }
    if (fd < 0) {
        snprintf(err, errlen, "cannot open key file %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size != KEY_BYTES) {
        close(fd);
        snprintf(err, errlen, "key file %s must hold exactly %d bytes", path, KEY_BYTES);
        return -1;
    }
    if (st.st_mode & 077) {
        close(fd);
        snprintf(err, errlen, "key file %s is readable by others; run: chmod 600 %s", path, path);
        return -1;
    }
    ssize_t r = read(fd, master, sizeof master);
    close(fd);
    if (r != KEY_BYTES) {
        snprintf(err, errlen, "cannot read key file %s", path);
        return -1;
    }
    loaded = 1;
    return 0;
}

void keys_get(enum key_purpose purpose, uint8_t out[KEY_BYTES])
{
    if (!loaded) {
        fprintf(stderr, "kantel: keys used before keys_load\n");
        abort();
    }
    crypto_kdf_derive_from_key(out, KEY_BYTES, (uint64_t)purpose, "kantel__", master);
}

size_t keys_seal_len(size_t plain_len)
{
    return crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain_len;
}

void keys_seal(enum key_purpose purpose, const void *plain, size_t n, uint8_t *out)
{
    uint8_t k[KEY_BYTES];
    keys_get(purpose, k);
    randombytes_buf(out, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, plain, n, out, k);
    sodium_memzero(k, sizeof k);
}

int keys_open(enum key_purpose purpose, const uint8_t *sealed, size_t n, void *plain, size_t plainlen)
{
    size_t over = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
    if (n < over || n - over > plainlen) return -1;
    uint8_t k[KEY_BYTES];
    keys_get(purpose, k);
    int rc = crypto_secretbox_open_easy(plain, sealed + crypto_secretbox_NONCEBYTES,
                                        n - crypto_secretbox_NONCEBYTES, sealed, k);
    sodium_memzero(k, sizeof k);
    return rc == 0 ? 0 : -1;
}
