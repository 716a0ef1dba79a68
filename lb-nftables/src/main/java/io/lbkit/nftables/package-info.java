/**
 * lbkit's second dataplane: the {@link io.lbkit.api.ipvs.Ipvs} port on nf_tables, for
 * kernels without IPVS. The entry type is {@link io.lbkit.nftables.NftablesIpvs}
 * ({@code NftablesIpvs.open()} or {@code open(netns)}); give it to the {@code Director}
 * (or {@code LoadBalancer}) in place of {@code NetlinkIpvs} and the same spec runs.
 * Everything is written over netlink (nfnetlink batches with the generation id, no
 * {@code nft} process); the package-private {@code TableReader} reads it back, and
 * {@code NftablesIpvs.read(netns)} reads it without creating anything ({@code lbctl show}).
 * lb-runtime's {@code Dataplane} (and {@code lbctl run|show|apply --dataplane}) opens it
 * by name, or in place of IPVS on a kernel without IPVS ({@code auto}). lb-testing's
 * {@code FakeNftables} is its in-memory fake: both pass lb-testing's
 * {@code NftablesContract}. {@link io.lbkit.nftables.RedirectRealServer} prepares a
 * direct-routing real server the seed's way (a redirect of the VIP's packets, table
 * {@code inet lbkit_rs}).
 *
 * <h2>The table</h2>
 * lbkit owns two tables, {@code inet lbkit} (NAT) and {@code netdev lbkit} (direct routing,
 * below), and touches no other. For a wrr service
 * TCP 192.0.2.200:80 with real servers 198.51.100.61:8080 (weight 2) and
 * 198.51.100.62:8080 (weight 1), {@code nft list table inet lbkit} shows:
 * <pre>
 * table inet lbkit {
 *   map services4 {
 *     type ipv4_addr . inet_proto . inet_service : verdict
 *     elements = { 192.0.2.200 . tcp . 80 : goto svc_tcp_192.0.2.200_80 }
 *   }
 *   map services6 { type ipv6_addr . inet_proto . inet_service : verdict }
 *   map dests4 {
 *     type ipv4_addr . inet_proto . inet_service . ipv4_addr . inet_service : mark
 *     elements = { 192.0.2.200 . tcp . 80 . 198.51.100.61 . 8080 : 0x00000002,
 *                  192.0.2.200 . tcp . 80 . 198.51.100.62 . 8080 : 0x00000001 }
 *   }
 *   map dests6 { type ipv6_addr . inet_proto . inet_service . ipv6_addr . inet_service : mark }
 *   map slots_tcp_192.0.2.200_80 {
 *     typeof numgen inc mod 2 : ip daddr . tcp dport
 *     elements = { 0 : 198.51.100.61 . 8080, 1 : 198.51.100.61 . 8080, 2 : 198.51.100.62 . 8080 }
 *   }
 *   chain prerouting {
 *     type nat hook prerouting priority dstnat; policy accept;
 *     ip daddr . meta l4proto . th dport vmap @services4
 *     ip6 daddr . meta l4proto . th dport vmap @services6
 *   }
 *   chain output {
 *     type nat hook output priority -100; policy accept;
 *     (the same two rules, for connections the director opens itself)
 *   }
 *   chain svc_tcp_192.0.2.200_80 {
 *     meta l4proto tcp dnat ip to numgen inc mod 3 map @slots_tcp_192.0.2.200_80 comment "wrr"
 *   }
 * }
 * </pre>
 * <ul>
 *   <li>{@code services4/6} send a new connection to its service's chain (one lookup
 *       whatever the number of services).
 *   <li>Each service has a chain with one rule, commented with its scheduler: {@code numgen
 *       inc} (rr, wrr), {@code numgen random} (random), {@code jhash ip saddr} (sh, mh) or
 *       {@code jhash ip daddr} (dh; ip6 likewise, with a fixed seed so every director hashes
 *       alike) modulo its slot count, looked up in its {@code slots_*} map, then
 *       {@code dnat}. rr gives each real server of weight above 0 one slot; wrr, random, sh
 *       and dh give weight/gcd slots, in the order the kernel's ip_vs_wrr picks. sh and dh
 *       hash to the same slots, not to IPVS's 256-bucket table: a flow does not go to the
 *       real server an IPVS director would pick. The slots map's {@code typeof} still reads
 *       {@code numgen} for them (display only). Weight 0 means no slot: no new connections, while conntrack keeps
 *       established ones on their real server. With no slot at all the rule is {@code reject}
 *       (ICMP port unreachable, as IPVS answers when no destination is available).
 *   <li>{@code dests4/6} hold every real server with its weight, 0 included: what
 *       {@code services()} reports (the datapath does not read them).
 *   <li>{@code stats4/6} count each real server's packets and bytes in both directions
 *       (per-element counters), looked up per packet by the filter chains
 *       {@code stats_prerouting} and {@code stats_output}; {@code services()} reports them as
 *       IPVS's InPkts/OutPkts/InBytes/OutBytes (a service's: the sum of its real servers';
 *       connection counts and rates: 0). Their key is VIP . protocol . real server . port,
 *       without the VIP's port (nft cannot parse or print {@code ct original proto-dst} in a
 *       concatenation): services of one VIP and protocol on different ports that share a
 *       real server share its counters, and {@code zero} resets them together.
 * </ul>
 *
 * <h2>mh (Maglev)</h2>
 * An mh service has {@value io.lbkit.nftables.internal.Maglev#TABLE_SIZE} slots: the lookup
 * table the kernel's {@code ip_vs_mh} builds (default {@code CONFIG_IP_VS_MH_TAB_INDEX}, its
 * fixed hsiphash keys, weights reduced by their gcd and shifted right to fit 6 bits) for the
 * real servers of weight above 0 in the order IPVS lists them when they were added in address
 * order (IPVS puts each new one first, and its table depends on that order). The kernel-VM
 * test {@code MaglevKernelTest} checks, connection by connection, that IPVS picks what this
 * table says. What does not match, by construction:
 * <ul>
 *   <li><b>The flow hash.</b> IPVS looks a connection up by {@code hsiphash} of the client
 *       address (and port with {@code mh-port}); nf_tables has only {@code jhash} and
 *       {@code symhash}, so the rule hashes {@code jhash ip saddr} ({@code . th sport} with
 *       mh-port) with lbkit's fixed seed. The same client lands on another slot than on
 *       IPVS: <b>a fleet mixing IPVS and nftables directors does not send a flow to the same
 *       real server</b>. nftables directors agree with each other (same table, same seed),
 *       as IPVS directors do; each keeps Maglev's property that a change of one real server
 *       moves about its share of the flows.
 *   <li><b>Weight 0.</b> IPVS keeps a real server at weight 0 in its table (built from its
 *       last non-zero weight) and refuses the flows that hash to it, or with
 *       {@code mh-fallback} re-hashes them onto the next available one; lbkit leaves it out
 *       of the table, so its flows spread over the others Maglev-style. {@code mh-fallback}
 *       is kept as a flag and changes nothing more.
 *   <li>A real server whose weight changes moves only the slots that change owner (one
 *       batch of deletes and adds), not all 4093.
 * </ul>
 * A weight change replaces one dests element and, when the slots change, refills the slots
 * map and rewrites the rule (its modulus), all in one atomic batch; a new real server is one
 * element plus the same refill. The Director's restart against an intact table writes
 * nothing; a service rule that is not the one lbkit wrote reads back with scheduler
 * {@code none}, so the Director rewrites it.
 *
 * <h2>Direct routing: the table {@code netdev lbkit}</h2>
 * A service whose real servers use DR ({@code lb_kind DR}, ipvsadm's {@code Route}) lives
 * in a second table lbkit owns, {@code netdev lbkit}, because {@code fwd} exists only in
 * the netdev family. Its base chain {@code ingress_DEV} hooks the ingress of the interface
 * the real servers are on (the main table's on-link route to them; all real servers of a
 * service must share it, and the VIP's packets must arrive there: the one-armed LVS-DR
 * topology of the seed). For the seed's service TCP 192.168.0.200:80, rr, on eth0:
 * <pre>
 * table netdev lbkit {
 *   map dr4 { type ipv4_addr . inet_proto . inet_service : verdict
 *             elements = { 192.168.0.200 . tcp . 80 : goto svc_tcp_192.168.0.200_80 } }
 *   map drdests4 { (as dests4: every real server with its weight) }
 *   map slots_tcp_192.168.0.200_80 { typeof numgen inc mod 2 : meta mark
 *                                    elements = { 0 : 0xc0a8003d, 1 : 0xc0a8003e } }
 *   map reals_tcp_192.168.0.200_80 { typeof meta mark : ip daddr
 *                                    elements = { 0xc0a8003d : 192.168.0.61, 0xc0a8003e : 192.168.0.62 } }
 *   map flows_tcp_192.168.0.200_80 { type ipv4_addr . inet_service : mark; size 1048576; timeout 15m }
 *   chain ingress_eth0 {
 *     type filter hook ingress device "eth0" priority filter; policy accept;
 *     meta pkttype host ip daddr . meta l4proto . th dport vmap @dr4
 *   }
 *   chain svc_tcp_192.168.0.200_80 {
 *     meta mark set ip saddr . th sport map @flows_tcp_192.168.0.200_80
 *       update @flows_tcp_192.168.0.200_80 { ip saddr . th sport : meta mark }
 *       fwd ip to meta mark map @reals_tcp_192.168.0.200_80 device "eth0" comment "rr via eth0"
 *     meta mark set numgen inc mod 2 map @slots_tcp_192.168.0.200_80
 *       add @flows_tcp_192.168.0.200_80 { ip saddr . th sport : meta mark }
 *       fwd ip to meta mark map @reals_tcp_192.168.0.200_80 device "eth0"
 *   }
 * }
 * </pre>
 * <ul>
 *   <li><b>Only frames addressed to the director's MAC</b> ({@code meta pkttype host}). A
 *       bridge floods a unicast frame whose MAC it does not know (the MAC aged out, or its
 *       director's port went down) to every port; IPVS never sees such a frame (ip_rcv drops
 *       PACKET_OTHERHOST), and the ingress hook, before ip_rcv, must not forward it either, or
 *       every other director on the segment would and the real server would get each packet
 *       twice. Broadcast and multicast frames are left to the stack too (a VIP is unicast).
 *       A table whose ingress rule lacks the match (written by an older lbkit) reads its
 *       services with scheduler {@code none}, so the Director rewrites them and the chain.
 *   <li><b>Connections keep their real server.</b> The ingress hook comes before conntrack,
 *       so a per-packet {@code numgen} would scatter one TCP connection's packets. Like
 *       IPVS's own connection table, the {@code flows_*} map remembers client address .
 *       port → real server: the first rule forwards a known connection (and refreshes its
 *       entry, which expires 15 minutes after its last packet, 5 for UDP: IPVS's
 *       defaults; at most 2^20 entries per service, where the kernel's default would cap
 *       a map filled by packets at 65535); only a packet that misses reaches the second rule, which schedules it
 *       ({@code numgen}, so rr and wrr alternate new connections, not packets) and records
 *       it. sh and dh hash the client or VIP ({@code jhash}, as in NAT) and need no state.
 *   <li><b>A real server is named by an id</b>, its IPv4 address as a number, carried in
 *       the packet mark between the maps (the mark of a packet that leaves the host is
 *       not sent). A weight change refills the slots only; {@code reals_*} keeps every real
 *       server, weight 0 included, so established connections of a drained server stay on
 *       it; a removed real server leaves {@code reals_*}, and its connections are
 *       scheduled anew.
 *   <li><b>The MAC comes from the kernel's neighbour table, per packet.</b> {@code fwd ip
 *       to ADDR device DEV} sends the unchanged packet (TTL decremented) to ADDR's
 *       neighbour entry: always the current MAC, and for a real server with none yet the
 *       kernel sends the ARP request and queues the packet, so it never goes to a wrong or
 *       stale MAC. lbkit keeps no copy of MACs to go stale.
 *   <li>With no slot (every weight 0), only the first rule is there: new connections fall
 *       through to the director's own stack, which refuses them.
 *   <li><b>Persistence</b> ({@code persistence_timeout}) is the same flows map keyed by the
 *       client address alone ({@code type ipv4_addr : mark}) with the persistence timeout:
 *       every connection of a client within the timeout after its last packet goes to the
 *       same real server (sh and dh record their choice too). The first rule's comment
 *       carries it ({@code rr via eth0 persistent 300}); a changed timeout makes the
 *       service anew. Per client only (a coarser granularity and persistence engines are
 *       refused), and not yet on NAT services (refused naming the service).
 * </ul>
 * A real server not on a directly attached network is refused with ENETUNREACH naming it.
 * DR is IPv4 only for now (EOPNOTSUPP for IPv6), one real server per address per service,
 * and one method per service (a service moves between the two tables, in one batch, when
 * its only real server changes method). TUN is refused with EOPNOTSUPP naming the service.
 *
 * <h2>What is refused</h2>
 * With EOPNOTSUPP naming the service and the reason, per change, never silently altered:
 * schedulers other than rr, wrr, random, sh, dh and mh (lc, wlc, sed, nq, lblc, lblcr, ovf,
 * twos need live connection counts; fo is not done yet), persistence of NAT services,
 * one-packet scheduling and scheduler flags but mh's, firewall-mark and all-ports services,
 * TUN forwarding (NAT: the real servers route their replies through the director, as with
 * IPVS NAT; DR: see above), connection thresholds, and weights needing more than 4096
 * slots. A NAT real server of the other address family is EINVAL, as in IPVS. Timeouts and
 * sync daemons are refused (conntrack's sysctls and conntrackd).
 */
package io.lbkit.nftables;
