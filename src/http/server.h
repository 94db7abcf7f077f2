/*
 * server.h - `kantel serve`: libmicrohttpd with its own thread pool and epoll,
 * every request through router -> gate -> handler -> response.
 */
#ifndef KANTEL_SERVER_H
#define KANTEL_SERVER_H

#include <signal.h>
#include <stdio.h>

struct server_opts {
    const char *listen;      /* "host:port" or "[v6]:port"; port 0 = any */
    int threads;             /* 0 = number of CPUs */
    int max_connections;
    int connection_timeout;  /* seconds */
    int shutdown_grace;      /* seconds */
    FILE *access_log;        /* NULL = off */
};

/* Blocks SIGTERM/SIGINT in the calling thread and every thread it starts
 * afterwards, so that only server_run() receives them (with sigwait). Call it
 * before starting any thread (the audit writer, the HTTP pool). */
void server_block_signals(sigset_t *set);

/* Serves until SIGTERM/SIGINT, then stops accepting, lets in-flight requests
 * finish (up to shutdown_grace) and returns 0; -1 if it could not start. */
int server_run(const struct server_opts *o);

#endif
