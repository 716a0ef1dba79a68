/*
 * sync-anchor.sh's two programs (issue 14: a director's loss under long-lived connections). One epoll
 * loop each, so that under the kernel VM's TCG emulation the measurement costs little more than the
 * kernel's own TCP work.
 *
 *   longconns server PORT NAME SECONDS
 *     answers every '\n'-terminated request on a connection with "NAME\n" and keeps the connection
 *     open until the peer closes it; exits after SECONDS.
 *   longconns client VIP PORT N NEW_PORT STOPFILE SECONDS
 *     opens N TCP connections to VIP:PORT (20 connects every 50 ms); each sends "ping\n" every 100 ms
 *     once the previous answer came back (one request outstanding per connection). Once all N have had
 *     an answer it also starts a new connection to VIP:NEW_PORT every 100 ms, ok if answered within 2 s of
 *     its start, else failed: with NEW_PORT = PORT one "ping\n" answered by a line (closed then), otherwise
 *     "GET /test.html HTTP/1.0" answered by "HTTP/1.x 200" and the server's close.
 *     Runs until STOPFILE exists or SECONDS passed. Prints (times are epoch milliseconds)
 *       READY ms established=N                     once every long connection has had an answer
 *       TICK ms answers=A alive=L                   every second (A: answers in that second)
 *       NEW start_ms end_ms ok|fail|stopped REASON  per new connection (stopped: in flight at the end)
 *       CONN i NAME STATE lost_ms last_answer_ms maxwait_ms   per long connection at the end
 *     STATE: alive, reset (ECONNRESET and other socket errors), closed (the peer's FIN) or setup (never
 *     answered before READY). maxwait: the longest a request waited for its answer, the one still
 *     outstanding at the end included.
 * Bounded in time (SECONDS) and in count (N <= 4000, 64 new connections in flight).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NEWFLOW (1ULL << 62)
#define LISTEN (1ULL << 61)
#define SLOTS 64

static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return (long long) t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int die(const char *what) {
  perror(what);
  exit(1);
}

static int server(int port, const char *name, int seconds) {
  int l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_ANY)};
  setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(l, (struct sockaddr *) &a, sizeof a) < 0) die("bind");
  if (listen(l, 1024) < 0) die("listen");
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = LISTEN};
  epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
  char answer[64];
  int alen = snprintf(answer, sizeof answer, "%s\n", name);
  long long end = now_ms() + seconds * 1000LL;
  struct epoll_event evs[256];
  while (now_ms() < end) {
    int n = epoll_wait(ep, evs, 256, 500);
    for (int i = 0; i < n; i++) {
      if (evs[i].data.u64 == LISTEN) {
        int c;
        while ((c = accept4(l, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
          struct epoll_event ce = {.events = EPOLLIN, .data.u64 = (uint64_t) c};
          epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
        }
        continue;
      }
      int c = (int) evs[i].data.u64;
      char buf[4096];
      ssize_t r = read(c, buf, sizeof buf);
      if (r <= 0) {
        if (r < 0 && errno == EAGAIN) continue;
        close(c);
        continue;
      }
      for (ssize_t k = 0; k < r; k++) {
        if (buf[k] == '\n' && write(c, answer, alen) != alen) break;
      }
    }
  }
  return 0;
}

enum { CONNECTING, OPEN, LOST };
struct conn {
  int fd, state, answered;
  char name[16], reason[16];
  long long sent_at, last_send, last_answer, maxwait, lost_at;
};
struct flow { int fd; long long start; int got; char head[16]; };

static int connect_to(struct sockaddr_in *to, int ep, uint64_t tag) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  if (connect(fd, (struct sockaddr *) to, sizeof *to) < 0 && errno != EINPROGRESS) {
    close(fd);
    return -1;
  }
  struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN, .data.u64 = tag};
  epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  return fd;
}

static void lose(struct conn *c, const char *why, long long t) {
  c->state = LOST;
  c->lost_at = t;
  snprintf(c->reason, sizeof c->reason, "%s", why);
  close(c->fd);
}

static void flow_end(struct flow *f, const char *result, long long t) {
  printf("NEW %lld %lld %s\n", f->start, t, result);
  close(f->fd);
  f->fd = -1;
}

static int client(const char *vip, int port, int n, int http_port, const char *stop, int seconds) {
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
  struct sockaddr_in web = {.sin_family = AF_INET, .sin_port = htons(http_port)};
  if (inet_pton(AF_INET, vip, &to.sin_addr) != 1 || n < 1 || n > 4000) {
    fprintf(stderr, "longconns: bad VIP or N (1..4000)\n");
    return 2;
  }
  web.sin_addr = to.sin_addr;
  signal(SIGPIPE, SIG_IGN);
  setvbuf(stdout, NULL, _IOLBF, 0);
  int ep = epoll_create1(0);
  struct conn *cs = calloc(n, sizeof *cs);
  struct flow fs[SLOTS];
  for (int i = 0; i < SLOTS; i++) fs[i].fd = -1;
  long long start = now_ms(), end = start + seconds * 1000LL, next_batch = start, next_flow = 0, next_tick = start + 1000;
  long long ready = 0;
  int opened = 0, answers = 0;
  struct epoll_event evs[512];
  while (now_ms() < end && access(stop, F_OK) != 0) {
    long long t = now_ms();
    for (; opened < n && t >= next_batch; next_batch += 50) {
      for (int k = 0; k < 20 && opened < n; k++, opened++) {
        cs[opened].fd = connect_to(&to, ep, (uint64_t) opened);
        cs[opened].state = cs[opened].fd < 0 ? LOST : CONNECTING;
        if (cs[opened].fd < 0) snprintf(cs[opened].reason, sizeof cs[opened].reason, "socket");
      }
    }
    if (!ready) {
      int all = 1;
      for (int i = 0; i < n; i++) all &= cs[i].answered;
      if (all) {
        ready = t;
        next_flow = t;
        printf("READY %lld established=%d\n", t, n);
      }
    }
    if (ready && t >= next_flow) {
      next_flow += 100;
      for (int s = 0; s < SLOTS; s++) {
        if (fs[s].fd >= 0) continue;
        fs[s].start = t;
        fs[s].got = 0;
        fs[s].fd = connect_to(&web, ep, NEWFLOW | (uint64_t) s);
        if (fs[s].fd < 0) printf("NEW %lld %lld fail socket\n", t, t);
        break;
      }
    }
    for (int s = 0; s < SLOTS; s++) {
      if (fs[s].fd >= 0 && t - fs[s].start > 2000) flow_end(&fs[s], "fail timeout", t);
    }
    for (int i = 0; i < opened; i++) {
      struct conn *c = &cs[i];
      if (c->state == OPEN && !c->sent_at && t - c->last_send >= 100) {
        if (write(c->fd, "ping\n", 5) == 5) {
          c->sent_at = c->last_send = t;
        } else if (errno != EAGAIN) {
          lose(c, errno == ECONNRESET ? "reset" : "error", t);
        }
      }
    }
    if (t >= next_tick) {
      int alive = 0;
      for (int i = 0; i < n; i++) alive += cs[i].state != LOST;
      printf("TICK %lld answers=%d alive=%d\n", t, answers, alive);
      answers = 0;
      next_tick += 1000;
    }
    int m = epoll_wait(ep, evs, 512, 5);
    t = now_ms();
    for (int k = 0; k < m; k++) {
      uint64_t tag = evs[k].data.u64;
      int err = 0;
      socklen_t len = sizeof err;
      if (tag & NEWFLOW) {
        struct flow *f = &fs[tag & 0xffff];
        if (f->fd < 0) continue;
        getsockopt(f->fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) {
          flow_end(f, err == ECONNREFUSED ? "fail refused" : err == ECONNRESET ? "fail reset" : "fail error", t);
        } else if (evs[k].events & EPOLLOUT) {
          const char *req = http_port == port ? "ping\n" : "GET /test.html HTTP/1.0\r\n\r\n";
          struct epoll_event ev = {.events = EPOLLIN, .data.u64 = tag};
          epoll_ctl(ep, EPOLL_CTL_MOD, f->fd, &ev);
          if (write(f->fd, req, strlen(req)) != (ssize_t) strlen(req)) flow_end(f, "fail write", t);
        } else {
          char buf[4096];
          ssize_t r = read(f->fd, buf, sizeof buf);
          if (r > 0 && f->got < (int) sizeof f->head - 1) {
            int take = r < (ssize_t) sizeof f->head - 1 - f->got ? (int) r : (int) sizeof f->head - 1 - f->got;
            memcpy(f->head + f->got, buf, take);
            f->got += take;
            f->head[f->got] = 0;
            if (http_port == port && strchr(f->head, '\n')) flow_end(f, "ok -", t);
          } else if (r == 0) {
            flow_end(f, f->got >= 12 && !strncmp(f->head, "HTTP/1.", 7) && !strncmp(f->head + 8, " 200", 4)
                ? "ok -" : "fail bad-answer", t);
          } else if (r < 0 && errno != EAGAIN) {
            flow_end(f, errno == ECONNRESET ? "fail reset" : "fail error", t);
          }
        }
        continue;
      }
      struct conn *c = &cs[tag];
      if (c->state == LOST) continue;
      getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err) {
        lose(c, err == ECONNRESET ? "reset" : err == ECONNREFUSED ? "refused" : "error", t);
        continue;
      }
      if (c->state == CONNECTING && (evs[k].events & EPOLLOUT)) {
        struct epoll_event ev = {.events = EPOLLIN, .data.u64 = tag};
        epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
        c->state = OPEN;
        c->last_send = t - 100;
        continue;
      }
      char buf[512];
      ssize_t r = read(c->fd, buf, sizeof buf);
      if (r == 0) {
        lose(c, "closed", t);
      } else if (r < 0) {
        if (errno != EAGAIN) lose(c, errno == ECONNRESET ? "reset" : "error", t);
      } else if (memchr(buf, '\n', r) && c->sent_at) {
        if (!c->answered) snprintf(c->name, sizeof c->name, "%.*s", (int) (strchr(buf, '\n') - buf), buf);
        if (t - c->sent_at > c->maxwait) c->maxwait = t - c->sent_at;
        c->answered = 1;
        c->sent_at = 0;
        c->last_answer = t;
        answers++;
      }
    }
  }
  long long t = now_ms();
  for (int s = 0; s < SLOTS; s++) {
    if (fs[s].fd >= 0) flow_end(&fs[s], "stopped -", t);
  }
  if (!ready) printf("NOTREADY %lld\n", t);
  for (int i = 0; i < n; i++) {
    struct conn *c = &cs[i];
    long long wait = c->state != LOST && c->sent_at && t - c->sent_at > c->maxwait ? t - c->sent_at : c->maxwait;
    const char *state = !c->answered ? "setup" : c->state == LOST ? c->reason : "alive";
    printf("CONN %d %s %s %lld %lld %lld\n", i, c->name[0] ? c->name : "-", state, c->lost_at, c->last_answer, wait);
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 5 && !strcmp(argv[1], "server")) return server(atoi(argv[2]), argv[3], atoi(argv[4]));
  if (argc == 8 && !strcmp(argv[1], "client")) {
    return client(argv[2], atoi(argv[3]), atoi(argv[4]), atoi(argv[5]), argv[6], atoi(argv[7]));
  }
  fprintf(stderr, "usage: longconns server PORT NAME SECONDS | client VIP PORT N NEW_PORT STOPFILE SECONDS\n");
  return 2;
}
