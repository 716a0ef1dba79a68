/**
 * Health checking: every keepalived checker, a scheduler that runs thousands of checks
 * from one thread, and a plug-in SPI. Entry types:
 * <ul>
 *   <li>{@link io.lbkit.checks.HealthMonitor}: watch real servers with
 *       {@code io.lbkit.api.check} specs; emits {@link io.lbkit.api.check.HealthEvent}s to
 *       listeners such as the Director's {@code onHealth};</li>
 *   <li>{@link io.lbkit.checks.MonitoredServices}: a {@code HealthMonitor} as lb-api's
 *       {@link io.lbkit.api.check.HealthChecking} port (what {@code LoadBalancer} takes);</li>
 *   <li>{@link io.lbkit.checks.Checker} and {@link io.lbkit.checks.CheckResult}: the SPI for
 *       custom checks, found by {@link java.util.ServiceLoader} or passed by API;</li>
 *   <li>{@link io.lbkit.checks.CheckObserver}: told of each attempt's outcome, duration and lag
 *       (for metrics);</li>
 *   <li>{@link io.lbkit.checks.Genhash}: keepalived's genhash (the digest of a url).</li>
 * </ul>
 * Everything else is in {@code io.lbkit.checks.internal}.
 *
 * <h2>Scheduling (keepalived's rules, and the extensions)</h2>
 * A check's first attempt comes at a random time within {@code warmup} (at once without
 * it). An attempt that succeeds ends the round; one that fails is retried after
 * {@code delay_before_retry}, up to {@code retry} times, while the check is up or has
 * never run (a check already down is not retried, as in keepalived); the next round
 * starts {@code delay_loop} after the last attempt. With {@code alpha} a server starts
 * down (an event says so at once), otherwise up. keepalived's verdict is rise = fall = 1;
 * {@code CheckTiming.riseFall} asks for more consecutive rounds, and
 * {@code HealthMonitor.Builder.fastInterval} shortens the interval while such a verdict
 * is pending. {@code jitter} adds a random [0, jitter × interval) to the first and every
 * later interval. At most {@code maxConcurrent} attempts are in flight; the rest queue
 * in order. A server with several checks is up while all are up. Each change of (up,
 * weight) is emitted once and logged once at INFO on logger {@code io.lbkit.checks},
 * with the reason ({@code connection refused}, {@code timeout after 5000 ms (waiting for
 * the response to /)}, {@code status 503 on /}, {@code digest mismatch on /: ...},
 * {@code TLS handshake failed: ...}).
 *
 * <h2>How each check runs</h2>
 * TCP, HTTP, SSL (SSLEngine), SMTP, DNS and UDP checks are non-blocking state machines on
 * one selector thread ({@code HealthMonitor.Builder.checkThreads(n)}: n threads, each with its
 * share of the real servers; one HTTP check costs a thread ~85-100 us of CPU on loopback, so
 * one thread carries about 10,000 checks/s per core it gets, and 100,000 real servers at
 * delay_loop 6 s need 2). With {@code HealthMonitor.builder()} (no clock) that thread is also
 * the timer: an attempt is launched, connected, written, read and judged on it with no
 * hand-off between threads; {@code builder(TimerService)} injects time instead (tests,
 * or your own executor), at the cost of one hand-off per attempt. An HTTP attempt costs
 * one socket, a connect finished without a selector round trip when the handshake is
 * already done (loopback, near links), the request bytes built once per url, one read
 * into a buffer shared by all checks when the answer fits, the header parsed in place,
 * and a close with a reset (SO_LINGER 0, as HAProxy closes a check whose server has not
 * closed first; lbkit resets in every case): no FIN exchange,
 * no TIME_WAIT on either side (at 10,000 checks/s a checker that closes first would
 * otherwise hold some 600,000 TIME_WAIT sockets a minute), one close(2) made after the
 * selector has dropped the socket, so the JDK adds no SO_LINGER probe or shutdown.
 * {@code HealthMonitor.Builder.closeWithReset(false)} closes a good check with a FIN
 * instead, as keepalived does (for servers that log resets); failed checks are reset
 * either way.
 * {@code connect_timeout} bounds the whole attempt of each url
 * (connect, handshake, request, response) — stricter than keepalived, whose timeout
 * applies to each read, so a server trickling a byte a second cannot hold a check
 * forever. The HTTP digest is the MD5 of the body bytes as received (chunked framing
 * included), exactly as genhash computes it. MISC_CHECK programs run without a shell on
 * a bounded pool; on {@code misc_timeout} the program and all its descendants are
 * killed (SIGKILL); {@code user} runs it through {@code setpriv} (lb-api's
 * {@code io.lbkit.api.script.ScriptUser}, shared with VRRP scripts).
 * PING_CHECK uses {@link java.net.InetAddress#isReachable(int)}: with CAP_NET_RAW (a
 * director runs as root, since IPVS needs CAP_NET_ADMIN) the JDK sends a real ICMP /
 * ICMPv6 echo; without it the JDK falls back to a TCP connection to port 7, which is
 * not an ICMP check — keepalived instead uses an unprivileged ICMP datagram socket,
 * which plain Java cannot open. FILE_CHECK reads the file on the same pool.
 * MISC_CHECK limit: Java reports a program killed by signal N as exit code 128 + N, the
 * same as a program that exits with that code, so 129-159 are read as "killed by
 * signal" (down) — with {@code misc_dynamic} the weights 127-157 cannot be set by an exit
 * code (keepalived, which sees the raw wait status, can). Treating them as weights instead
 * would turn a crashed or OOM-killed program into an up server.
 *
 * <p>{@code bindto}/{@code bind_port} bind the check socket. {@code bind_if} gives IPv6
 * link-local addresses (bindto, connect_ip, the real server) that interface as their
 * scope, which is what keepalived needs it for; it does not bind the socket to the device
 * (SO_BINDTODEVICE needs native code, and lbkit's one native place is lb-netlink).
 * {@code fwmark} (SO_MARK) is not supported for the same reason and is ignored with a
 * warning.
 */
package io.lbkit.checks;
