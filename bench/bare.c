/* bench/bare.c - the HTTP ceiling for `make bench`.
 *
 *   bare PORT FILE [THREADS]
 *
 * A bare libmicrohttpd responder: reads FILE into memory once, builds one
 * persistent response from it and answers every request (any method, any
 * URL) with 200, `Content-Type: text/html; charset=utf-8` and those bytes.
 * Same server configuration as kantel (internal polling thread pool + epoll,
 * 1024 connections), so wrk against it shows what the HTTP layer alone can do
 * on this machine. THREADS defaults to the number of online CPUs. Listens on
 * 127.0.0.1 only (PORT 0 picks a free port) and prints one line
 * `bare: listening on http://127.0.0.1:PORT ...` once it accepts
 * connections; runs until SIGTERM or SIGINT.
 *
 * Build: gcc -O2 -Wall -Wextra -Werror -o build/bench-bare bench/bare.c \
 *            $(pkg-config --cflags --libs libmicrohttpd)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if MHD_VERSION < 0x00097002
typedef int MHD_Result_t;
#else
typedef enum MHD_Result MHD_Result_t;
#endif

static struct MHD_Response *page;

static MHD_Result_t answer(void *cls, struct MHD_Connection *conn, const char *url,
                           const char *method, const char *version,
                           const char *upload_data, size_t *upload_data_size,
                           void **con_cls)
{
    (void)cls; (void)url; (void)method; (void)version; (void)upload_data;
    /* A request body (if any) is ignored: swallow it, answer when complete. */
    if (*con_cls == NULL) {
        *con_cls = (void *)1;
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    return MHD_queue_response(conn, MHD_HTTP_OK, page);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) {
            if (ferror(f)) { free(buf); buf = NULL; }
            break;
        }
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) { free(buf); buf = NULL; break; }
        buf = bigger;
        cap *= 2;
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s PORT FILE [THREADS]\n", argv[0]);
        return 2;
    }
    char *end;
    long port = strtol(argv[1], &end, 10);
    if (*end || port < 0 || port > 65535) {
        fprintf(stderr, "bare: bad port '%s'\n", argv[1]);
        return 2;
    }
    long threads = sysconf(_SC_NPROCESSORS_ONLN);
    if (argc == 4) {
        threads = strtol(argv[3], &end, 10);
        if (*end || threads < 1 || threads > 256) {
            fprintf(stderr, "bare: bad thread count '%s'\n", argv[3]);
            return 2;
        }
    }
    if (threads < 1) threads = 1;

    size_t len;
    char *body = read_file(argv[2], &len);
    if (!body) {
        fprintf(stderr, "bare: cannot read %s: %s\n", argv[2], strerror(errno));
        return 1;
    }
    page = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_PERSISTENT);
    if (!page ||
        MHD_add_response_header(page, "Content-Type", "text/html; charset=utf-8") != MHD_YES) {
        fprintf(stderr, "bare: cannot create the response\n");
        return 1;
    }

    /* Block the stop signals here; the MHD threads inherit the mask, so the
     * signal is taken by sigwait in this thread only. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, (uint16_t)port, NULL, NULL,
        answer, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)1024,
        MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "bare: cannot listen on 127.0.0.1:%ld\n", port);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    if (info && info->port) port = info->port;
    printf("bare: listening on http://127.0.0.1:%ld (%zu bytes, %ld threads)\n",
           port, len, threads);
    fflush(stdout);

    int sig;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    MHD_destroy_response(page);
    free(body);
    return 0;
}
