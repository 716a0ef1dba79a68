/*
 * Tiny HTTP backends for the lbkit checks benchmarks (checks-load.sh, checks-vs-keepalived.sh):
 * N listeners on 127.0.0.1-8 (ephemeral ports) served by one epoll loop in its own process, so
 * that the checker being measured does not share a JVM, a heap or a thread with its servers,
 * and so that serving costs little more than the kernel's own work (accept, read, write, close).
 *
 *   backends N SECONDS ADDR_FILE
 *
 * writes "ADDRESS PORT" per backend to ADDR_FILE (atomically, once all listen), answers every
 * request with "200 ok" (HTTP/1.0, Content-Length, then close), prints "served COUNT" every
 * second, and reads commands on stdin: "k I" closes listener I (connections are refused),
 * "h I" makes backend I accept and stay silent, "q" quits. It exits on "q", at EOF on stdin
 * (its parent died) or after SECONDS, whichever comes first. Loopback only.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CONN (1ULL << 62)
#define CTRL (1ULL << 61)

static const char RESPONSE[] = "HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n";

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static int control(int *lfd, char *hang, int n, char *line) {
  int i = atoi(line + 1);
  if (line[0] == 'q') return 1;
  if (i < 0 || i >= n) return 0;
  if (line[0] == 'k' && lfd[i] >= 0) { close(lfd[i]); lfd[i] = -1; }
  if (line[0] == 'h') hang[i] = 1;
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: backends N SECONDS ADDR_FILE\n"); return 2; }
  int n = atoi(argv[1]), secs = atoi(argv[2]);
  if (n < 1 || n > 60000 || secs < 1 || secs > 3600) { fprintf(stderr, "bad N or SECONDS\n"); return 2; }
  int ep = epoll_create1(0);
  int *lfd = calloc(n, sizeof(int));
  char *hang = calloc(n, 1);
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", argv[3]);
  FILE *f = fopen(tmp, "w");
  if (ep < 0 || !lfd || !hang || !f) { perror("setup"); return 1; }
  for (int i = 0; i < n; i++) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001 + i % 8)};
    socklen_t len = sizeof a;
    int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (s < 0 || bind(s, (struct sockaddr *) &a, sizeof a) || listen(s, 1024)
        || getsockname(s, (struct sockaddr *) &a, &len)) {
      perror("listener"); return 1;
    }
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t) i};
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
    lfd[i] = s;
    fprintf(f, "127.0.0.%d %d\n", 1 + i % 8, ntohs(a.sin_port));
  }
  fclose(f);
  rename(tmp, argv[3]);
  struct epoll_event cev = {.events = EPOLLIN, .data.u64 = CTRL};
  epoll_ctl(ep, EPOLL_CTL_ADD, 0, &cev);
  long served = 0;
  char buf[4096], cmd[256];
  size_t cmdlen = 0;
  double end = now() + secs, tick = now() + 1;
  struct epoll_event evs[256];
  while (now() < end) {
    int k = epoll_wait(ep, evs, 256, 100);
    for (int e = 0; e < k; e++) {
      uint64_t d = evs[e].data.u64;
      if (d & CTRL) {
        ssize_t r = read(0, cmd + cmdlen, sizeof cmd - 1 - cmdlen);
        if (r <= 0) return 0; /* the parent is gone */
        cmdlen += r;
        char *nl;
        while ((nl = memchr(cmd, '\n', cmdlen)) != NULL) {
          *nl = 0;
          if (control(lfd, hang, n, cmd)) return 0;
          cmdlen -= nl + 1 - cmd;
          memmove(cmd, nl + 1, cmdlen);
        }
        if (cmdlen == sizeof cmd - 1) cmdlen = 0;
      } else if (d & CONN) {
        int c = (int) (d >> 32 & 0xfffffff), i = (int) (d & 0xffffffff);
        ssize_t r = read(c, buf, sizeof buf);
        if (r > 0 && hang[i]) continue;
        if (r > 0 && write(c, RESPONSE, sizeof RESPONSE - 1) > 0) served++;
        if (r >= 0 || errno != EAGAIN) close(c); /* answered, or the client went away */
      } else {
        int i = (int) d, c;
        while (lfd[i] >= 0 && (c = accept4(lfd[i], NULL, NULL, SOCK_NONBLOCK)) >= 0) {
          struct epoll_event ev = {.events = EPOLLIN, .data.u64 = CONN | (uint64_t) c << 32 | (uint64_t) i};
          epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
        }
      }
    }
    if (now() >= tick) {
      printf("served %ld\n", served);
      fflush(stdout);
      tick += 1;
    }
  }
  return 0;
}
