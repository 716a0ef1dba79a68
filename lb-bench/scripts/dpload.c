/*
 * Load tool for datapath.sh: a tiny HTTP server and a new-connection client, both one epoll loop.
 *
 *   dpload serve PORT NAME SECONDS      answers every request with NAME (HTTP/1.0, then close)
 *   dpload get ADDR PORT SECONDS CONC   CONC parallel connections, each: connect, send one
 *                                       request, read the answer to EOF, close; a new one at once
 *
 * "get" prints "requests N seconds S rps R errors E" and one "server NAME COUNT" line per
 * distinct answer body, so a run shows which real servers answered and how often.
 * Both exit after SECONDS (bounded); errors (refused, reset, 2 s without progress) are counted.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static int serve(int port, const char *name, double seconds) {
  char resp[256];
  int n = snprintf(resp, sizeof resp, "HTTP/1.0 200 OK\r\nContent-Length: %zu\r\n\r\n%s\n", strlen(name) + 1, name);
  int l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
  setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
  if (bind(l, (void *)&a, sizeof a) || listen(l, 4096)) { perror("dpload serve: bind/listen"); return 1; }
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = l}, evs[64];
  epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
  double end = now() + seconds;
  long served = 0;
  while (now() < end) {
    int k = epoll_wait(ep, evs, 64, 200);
    for (int i = 0; i < k; i++) {
      int fd = evs[i].data.fd;
      if (fd == l) {
        int c;
        while ((c = accept4(l, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
          struct epoll_event ce = {.events = EPOLLIN | EPOLLRDHUP, .data.fd = c};
          epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
        }
      } else {
        char buf[1024];
        ssize_t r = read(fd, buf, sizeof buf);
        if (r > 0) { if (write(fd, resp, n) == n) served++; }
        close(fd);
      }
    }
  }
  fprintf(stderr, "dpload serve %s: served %ld\n", name, served);
  return 0;
}

struct conn { int fd; int len; double start; char buf[512]; };
#define MAXNAMES 8

static int get(const char *addr, int port, double seconds, int conc) {
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
  if (inet_pton(AF_INET, addr, &a.sin_addr) != 1) { fprintf(stderr, "dpload get: bad address %s\n", addr); return 2; }
  static const char req[] = "GET / HTTP/1.0\r\n\r\n";
  int ep = epoll_create1(0);
  struct conn *cs = calloc(conc, sizeof *cs);
  char names[MAXNAMES][64]; long counts[MAXNAMES] = {0}; int nnames = 0;
  long done = 0, errors = 0;
  double t0 = now(), end = t0 + seconds;
  for (int i = 0; i < conc; i++) cs[i].fd = -1;
  for (;;) {
    double t = now();
    for (int i = 0; i < conc; i++) {
      struct conn *c = &cs[i];
      if (c->fd >= 0 && t - c->start > 2.0) { close(c->fd); c->fd = -1; errors++; }
      if (c->fd < 0 && t < end) {
        c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        c->len = 0; c->start = t;
        if (connect(c->fd, (void *)&a, sizeof a) && errno != EINPROGRESS) { close(c->fd); c->fd = -1; errors++; continue; }
        struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP, .data.u32 = i};
        epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
      }
    }
    int open = 0;
    for (int i = 0; i < conc; i++) open += cs[i].fd >= 0;
    if (t >= end && !open) break;
    struct epoll_event evs[256];
    int k = epoll_wait(ep, evs, 256, 100);
    for (int j = 0; j < k; j++) {
      struct conn *c = &cs[evs[j].data.u32];
      if (c->fd < 0) continue;
      if (evs[j].events & EPOLLOUT) {
        int err = 0; socklen_t el = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
        if (err || write(c->fd, req, sizeof req - 1) != sizeof req - 1) { close(c->fd); c->fd = -1; errors++; continue; }
        struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.u32 = evs[j].data.u32};
        epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
        continue;
      }
      ssize_t r;
      while ((r = read(c->fd, c->buf + c->len, sizeof c->buf - 1 - c->len)) > 0) c->len += r;
      if (r < 0 && errno == EAGAIN) continue;
      close(c->fd); c->fd = -1;
      c->buf[c->len] = 0;
      char *body = strstr(c->buf, "\r\n\r\n");
      if (r < 0 || !body || strncmp(c->buf, "HTTP/1.0 200", 12)) { errors++; continue; }
      body += 4; body[strcspn(body, "\n")] = 0;
      int n;
      for (n = 0; n < nnames && strcmp(names[n], body); n++) {}
      if (n == nnames && nnames < MAXNAMES) snprintf(names[nnames++], 64, "%s", body);
      if (n < MAXNAMES) counts[n]++;
      if (now() <= end) done++;
    }
  }
  double s = (end < now() ? end : now()) - t0;
  printf("requests %ld seconds %.1f rps %.0f errors %ld\n", done, s, done / s, errors);
  for (int n = 0; n < nnames; n++) printf("server %s %ld\n", names[n], counts[n]);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 5 && !strcmp(argv[1], "serve")) return serve(atoi(argv[2]), argv[3], atof(argv[4]));
  if (argc == 6 && !strcmp(argv[1], "get")) return get(argv[2], atoi(argv[3]), atof(argv[4]), atoi(argv[5]));
  fprintf(stderr, "usage: dpload serve PORT NAME SECONDS | dpload get ADDR PORT SECONDS CONC\n");
  return 2;
}
