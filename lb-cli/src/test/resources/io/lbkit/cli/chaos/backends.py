#!/usr/bin/env python3
"""Misbehaving real servers for the director chaos run (lb-cli's DirectorChaos).

  python3 backends.py MAX_SECONDS PORT...

Listens on 127.0.0.1:PORT for each PORT (in the namespace it is started in) and serves each
connection according to the port's mode at accept time. Modes, set by lines "PORT MODE" on
stdin (answered "ok PORT MODE" on stdout once in force):
  healthy  reads the request, answers "HTTP/1.0 200 OK" with a 3-byte body, closes
  down     the listener is closed: connections are refused (a killed server)
  stall    answers the header (Content-Length 1000) and 10 body bytes, then nothing more
  huge     answers a 1 GiB body (Content-Length 1073741824), at most 128 MiB/s: 8 s at least,
           longer than any check's connect_timeout, so a checker that stops reading at its
           deadline never sees it end
  silent   accepts and never reads nor answers
Every connection is closed after at most 60 s; the process exits when stdin closes or after
MAX_SECONDS. On each "huge" connection's end it prints "huge PORT sent BYTES in SECONDS".
Bounded: one thread per connection, at most 64 connections per port (others are closed).
"""
import os
import socket
import sys
import threading
import time

GIB = 1 << 30
HUGE_RATE = 128 << 20  # bytes per second
CONN_LIMIT_S = 60
MAX_CONNS = 64
lock = threading.Lock()
out_lock = threading.Lock()


def say(line):
    with out_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


class Port:
    def __init__(self, port):
        self.port = port
        self.mode = "healthy"
        self.sock = None
        self.conns = 0
        self.open()

    def open(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", self.port))
        s.listen(128)
        self.sock = s
        threading.Thread(target=self.accept_loop, args=(s,), daemon=True).start()

    def close(self):
        s, self.sock = self.sock, None
        if s is not None:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def set_mode(self, mode):
        with lock:
            if mode == "down":
                self.close()
            elif self.sock is None:
                self.open()
            self.mode = mode

    def accept_loop(self, s):
        while True:
            try:
                c, _ = s.accept()
            except OSError:
                return  # closed: down
            with lock:
                mode = self.mode
                if self.conns >= MAX_CONNS:
                    c.close()
                    continue
                self.conns += 1
            threading.Thread(target=self.serve, args=(c, mode), daemon=True).start()

    def serve(self, c, mode):
        start = time.monotonic()
        sent = 0
        try:
            c.settimeout(CONN_LIMIT_S)
            if mode == "silent":
                wait_close(c, start)
            elif mode == "healthy":
                c.recv(4096)
                c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n")
            elif mode == "stall":
                c.recv(4096)
                c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789")
                wait_close(c, start)
            elif mode == "huge":
                c.recv(4096)
                c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n" % GIB)
                chunk = b"x" * 65536
                while sent < GIB and time.monotonic() - start < CONN_LIMIT_S:
                    sent += c.send(chunk[: min(len(chunk), GIB - sent)])
                    ahead = sent / HUGE_RATE - (time.monotonic() - start)
                    if ahead > 0:
                        time.sleep(ahead)
        except OSError:
            pass
        finally:
            c.close()
            with lock:
                self.conns -= 1
            if mode == "huge":
                say("huge %d sent %d in %.2f" % (self.port, sent, time.monotonic() - start))


def wait_close(c, start):
    """Holds the connection until the peer closes it (reads and drops) or the limit."""
    while time.monotonic() - start < CONN_LIMIT_S:
        if not c.recv(4096):
            return


def main():
    deadline = time.monotonic() + float(sys.argv[1])
    ports = {int(p): Port(int(p)) for p in sys.argv[2:]}
    threading.Thread(target=lambda: (time.sleep(max(0, deadline - time.monotonic())), os._exit(0)),
                     daemon=True).start()
    say("ready " + " ".join(str(p) for p in ports))
    for line in sys.stdin:
        parts = line.split()
        if len(parts) == 2 and int(parts[0]) in ports:
            ports[int(parts[0])].set_mode(parts[1])
            say("ok %s %s" % (parts[0], parts[1]))
        if time.monotonic() > deadline:
            break


if __name__ == "__main__":
    main()
