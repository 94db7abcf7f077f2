/*
 * keys.h - the instance's secret keys.
 *
 * One 32-byte master key lives in the key file (config key_file, mode 0600,
 * never in the database). Purpose keys are derived from it with libsodium's
 * crypto_kdf, so a database copy alone cannot forge audit rows, decrypt TOTP
 * secrets or (later) BSNs.
 */
#ifndef KANTEL_KEYS_H
#define KANTEL_KEYS_H

#include <stddef.h>
#include <stdint.h>

#define KEY_BYTES 32

enum key_purpose {
    KEY_AUDIT = 1,    /* audit hash chain */
    KEY_TOTP = 2,     /* secretbox for TOTP secrets */
    KEY_RECOVERY = 3, /* keyed hash of recovery codes */
    KEY_BSN_ENC = 4,  /* secretbox for BSNs at rest */
    KEY_BSN_HASH = 5, /* keyed hash for BSN lookup */
};

/* Loads the master key from path; creates the file (0600, O_EXCL) with a new
 * random key when it does not exist and create is set. Returns 0, or -1 with
 * a message in err (wrong size, wrong permissions, unreadable). */
int keys_load(const char *path, int create, char *err, size_t errlen);
/* Copies the derived key for a purpose. keys_load must have succeeded. */
void keys_get(enum key_purpose purpose, uint8_t out[KEY_BYTES]);

/* secretbox helpers with the given purpose key: out = nonce || ciphertext. */
size_t keys_seal_len(size_t plain_len);
void keys_seal(enum key_purpose purpose, const void *plain, size_t n, uint8_t *out);
/* Returns 0 and writes n - overhead bytes to plain, or -1 when forged. */
int keys_open(enum key_purpose purpose, const uint8_t *sealed, size_t n, void *plain, size_t plainlen);

#endif
