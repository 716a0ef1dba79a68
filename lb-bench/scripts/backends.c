/*
 * Tiny HTTP backends for the lbkit checks benchmarks (checks-load.sh, checks-vs-keepalived.sh):
 * N listeners on 127.0.0.1-8 (ephemeral ports) served by one epoll loop in its own process, so
 * that the checker being measured does not share a JVM, a heap or a thread with its servers,
 * and so that serving costs little more than the kernel's own work (accept, read, write, close).
 *
 *   backends N SECONDS ADDR_FILE
 *   backends probe ADDR_FILE SECONDS INTERVAL_MS [rst|fin]
 *
 * writes "ADDRESS PORT" per backend to ADDR_FILE (atomically, once all listen), answers every
 * request with "200 ok" (HTTP/1.0, Content-Length, then close), prints "served COUNT" every
 * second, and reads commands on stdin: "k I" closes listener I (connections are refused),
 * "h I" makes backend I accept and stay silent (each answered "ack I NANOS", the CLOCK_MONOTONIC
 * time it took effect), "q" quits. It exits on "q", at EOF on stdin
 * (its parent died) or after SECONDS, whichever comes first. Loopback only.
 *
 * "probe" is the floor to compare a checker with: the least a checker can do per HTTP check
 * (non-blocking socket, connect, wait writable, SO_ERROR, write keepalived's request, wait
 * readable, read the whole answer, close: with a reset, SO_LINGER 0, as lbkit does by default,
 * or "fin" for a normal close), every backend of ADDR_FILE every INTERVAL_MS, all
 * from one thread; after a 3 s warm-up it measures SECONDS and prints checks/s and its CPU per
 * check (user and kernel, getrusage), i.e. mostly the kernel's TCP work that any checker pays.
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
  /* when it took effect, on CLOCK_MONOTONIC (Java's System.nanoTime on Linux) */
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  printf("ack %d %lld\n", i, (long long) t.tv_sec * 1000000000LL + t.tv_nsec);
  fflush(stdout);
  return 0;
}

#include <sys/resource.h>

static double cpu(double *user) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  *user = u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6;
  return *user + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

struct target { struct sockaddr_in a; int fd; int got; double due; };

static void launch(int ep, struct target *t, int i) {
  t[i].fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  t[i].got = 0;
  connect(t[i].fd, (struct sockaddr *) &t[i].a, sizeof t[i].a);
  struct epoll_event ev = {.events = EPOLLOUT, .data.u64 = (uint64_t) i};
  epoll_ctl(ep, EPOLL_CTL_ADD, t[i].fd, &ev);
}

static int probe(const char *file, int secs, int interval_ms, int rst) {
  FILE *f = fopen(file, "r");
  if (!f) { perror(file); return 1; }
  int cap = 65536, n = 0, port;
  char ip[64];
  struct target *t = calloc(cap, sizeof *t);
  int *ring = calloc(cap, sizeof(int)); /* FIFO of idle targets: equal intervals keep it in due order */
  while (n < cap && fscanf(f, "%63s %d", ip, &port) == 2) {
    t[n].a.sin_family = AF_INET;
    t[n].a.sin_port = htons(port);
    inet_pton(AF_INET, ip, &t[n].a.sin_addr);
    n++;
  }
  fclose(f);
  int ep = epoll_create1(0), head = 0, tail = 0;
  double start = now();
  for (int i = 0; i < n; i++) { t[i].due = start + (double) i * interval_ms / 1000 / n; ring[tail++ % cap] = i; }
  char req[256], buf[4096];
  long checks = 0, failed = 0, c0 = 0;
  double warm = start + 3, end = warm + secs, u0 = 0, cpu0 = 0;
  struct epoll_event evs[256];
  while (now() < end) {
    double tnow = now();
    while (head != tail && t[ring[head % cap]].due <= tnow) launch(ep, t, ring[head++ % cap]);
    if (c0 == 0 && tnow >= warm) { c0 = checks ? checks : 1; cpu0 = cpu(&u0); }
    int wait = head == tail ? 100 : (int) ((t[ring[head % cap]].due - tnow) * 1000);
    int k = epoll_wait(ep, evs, 256, wait < 0 ? 0 : wait);
    for (int e = 0; e < k; e++) {
      int i = (int) evs[e].data.u64, err = 0, done = 0;
      socklen_t len = sizeof err;
      if (evs[e].events & EPOLLOUT) {
        getsockopt(t[i].fd, SOL_SOCKET, SO_ERROR, &err, &len);
        int rl = snprintf(req, sizeof req, "GET /health HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n"
            "Host: %s:%d\r\n\r\n", inet_ntoa(t[i].a.sin_addr), ntohs(t[i].a.sin_port));
        if (err || write(t[i].fd, req, rl) != rl) done = 2;
        else {
          struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t) i};
          epoll_ctl(ep, EPOLL_CTL_MOD, t[i].fd, &ev);
        }
      } else {
        ssize_t r;
        while ((r = read(t[i].fd, buf, sizeof buf)) > 0) t[i].got += r;
        if (t[i].got >= (int) sizeof RESPONSE - 1) done = 1; /* the whole answer: status and body */
        else if (r == 0 || errno != EAGAIN) done = 2;
      }
      if (done) {
        if (rst) {
          struct linger l = {.l_onoff = 1, .l_linger = 0};
          setsockopt(t[i].fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        }
        epoll_ctl(ep, EPOLL_CTL_DEL, t[i].fd, NULL);
        close(t[i].fd);
        checks++;
        failed += done == 2;
        t[i].due = now() + interval_ms / 1000.0;
        ring[tail++ % cap] = i;
      }
    }
  }
  double u1, c1 = cpu(&u1), wall = now() - warm;
  long m = checks - c0;
  printf("FLOOR checks/s=%.0f us/check=%.1f (user %.1f, kernel %.1f) failed=%ld backends=%d duration=%.0fs close=%s\n",
      m / wall, 1e6 * (c1 - cpu0) / m, 1e6 * (u1 - u0) / m, 1e6 * ((c1 - u1) - (cpu0 - u0)) / m, failed, n, wall,
      rst ? "rst" : "fin");
  return 0;
}

int main(int argc, char **argv) {
  if ((argc == 5 || argc == 6) && strcmp(argv[1], "probe") == 0)
    return probe(argv[2], atoi(argv[3]), atoi(argv[4]), argc == 5 || strcmp(argv[5], "fin") != 0);
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
