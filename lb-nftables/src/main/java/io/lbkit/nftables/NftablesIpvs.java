package io.lbkit.nftables;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsInfo;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.IpvsTimeouts;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.ipvs.SyncDaemon;
import io.lbkit.api.kernel.BatchException;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.kernel.KernelException.Subject;
import io.lbkit.netlink.internal.NetlinkSocket;
import io.lbkit.netlink.internal.NlWriter;
import io.lbkit.nftables.internal.LbStats;
import io.lbkit.nftables.internal.LbTable;
import io.lbkit.nftables.internal.StatsWriter;
import io.lbkit.nftables.internal.NftCodec;
import io.lbkit.nftables.internal.TableModel;
import io.lbkit.nftables.internal.DrTable;
import io.lbkit.nftables.internal.DrWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link Ipvs} port on nf_tables: the same services and real servers the Director
 * drives on IPVS, as NAT load balancing in table {@code inet lbkit} and direct routing in
 * {@code netdev lbkit}, programmed over netlink (no {@code nft} process). Every change is an
 * nfnetlink batch carrying the generation id lbkit last read (compare-and-swap: when someone else changed the ruleset
 * meanwhile the kernel refuses the batch, lbkit re-reads its table and tries again), and
 * a batch is atomic. {@link #services()} reads the table back as the same rows IPVS
 * reports, so a restart with an unchanged spec writes nothing. What nftables cannot do is
 * refused per change with a {@link KernelException} of EOPNOTSUPP naming the service and
 * the reason (see the package documentation). Thread-safe (calls are serialised).
 *
 * <pre>{@code
 * try (Ipvs ipvs = NftablesIpvs.open()) {
 *   ServiceKey vip = ServiceKey.of(Protocol.TCP, Inet.parse("192.0.2.200"), 80);
 *   ipvs.addService(IpvsService.of(vip, Scheduler.WRR));
 *   ipvs.addDest(vip, IpvsDest.of(Inet.parse("198.51.100.61"), 8080, Forwarding.NAT, 2));
 * }
 * }</pre>
 */
public final class NftablesIpvs implements Ipvs {
  /** NETLINK_NETFILTER. */
  static final int NETLINK_NETFILTER = 12;
  /** Batches are cut at a service boundary past this many bytes (one datagram each). */
  static final int BATCH_BYTES = 512 << 10;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NftablesIpvs.class);
  private long kernelNanos; // the last apply's time in the kernel's batch transactions, for its debug line
  /** How often a batch refused for a stale generation (ERESTART) is re-read and retried. */
  static final int ATTEMPTS = 3;
  static final int ERESTART = 85;

  private final NetlinkSocket socket;
  private final TableReader reader;
  private final DrLinks links;
  private TableModel model;
  private int gen;
  private boolean valid;
  private StatsReader stats; // the counters' reader of the table as of statsGen (its rows, its keys)
  private int statsGen;

  private NftablesIpvs(NetlinkSocket socket, String netns) {
    this.socket = socket;
    this.links = new DrLinks(netns);
    this.reader = new TableReader(socket);
  }

  /** Opens nf_tables in the current network namespace and creates (or repairs) lbkit's table. */
  public static NftablesIpvs open() throws IOException {
    return open(null);
  }

  /**
   * Opens nf_tables in the named network namespace ({@code /run/netns/NAME}; null: the
   * current one) and creates (or repairs) lbkit's table there.
   */
  public static NftablesIpvs open(String netnsName) throws IOException {
    NetlinkSocket s = NetlinkSocket.open(NETLINK_NETFILTER, netnsName);
    NftablesIpvs n = new NftablesIpvs(s, netnsName);
    try {
      n.ensureTable();
      return n;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /**
   * Opens nf_tables over a socket the caller made (a NETLINK_NETFILTER socket, e.g.
   * {@code NetlinkSocket.over} a transport that counts what is sent, as lb-bench does) and
   * creates (or repairs) lbkit's table; {@link #close()} closes the socket. For tools and
   * tests; applications use {@link #open(String)}.
   */
  public static NftablesIpvs over(NetlinkSocket socket) throws IOException {
    NftablesIpvs n = new NftablesIpvs(socket, null);
    n.ensureTable();
    return n;
  }

  /**
   * Reads lbkit's table in the named network namespace (null: the current one) as IPVS
   * rows, the way {@link #services()} does, without creating or changing anything: an
   * empty list when there is no table (for {@code lbctl show} and {@code apply --dry-run}).
   */
  public static List<ServiceSnapshot> read(String netnsName) throws IOException {
    try (NetlinkSocket s = NetlinkSocket.open(NETLINK_NETFILTER, netnsName)) {
      return new StatsReader(new TableReader(s).read().model().snapshot()).read(s);
    }
  }

  private void ensureTable() throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      TableReader.Read r = reader.read();
      if (r.skeletonOk()) {
        model = r.model();
        gen = r.gen();
        valid = true;
        return;
      }
      NlWriter w = new NlWriter(4096);
      NftCodec.batchBegin(w, r.gen());
      LbTable.skeleton(w);
      // a table from before the counters (or whose counters were deleted) gets its real servers' back
      StatsWriter.write(w, r.model().services().keySet(), Map.of(), r.model()::get);
      NftCodec.batchEnd(w);
      if (commit(w, "nftables create table inet " + LbTable.TABLE) != null) {
        continue; // stale generation: read again
      }
    }
    throw KernelException.of(Subject.OTHER, "nftables create table inet " + LbTable.TABLE, ERESTART,
        "the ruleset kept changing");
  }

  /** Sends one batch; null when committed, the stale-generation error when refused for it. */
  private KernelException commit(NlWriter w, String operation) throws IOException {
    long t = System.nanoTime();
    List<NetlinkSocket.Ack> acks = socket.transaction(w.flip(), operation);
    kernelNanos += System.nanoTime() - t;
    NetlinkSocket.Ack begin = acks.get(0);
    if (!begin.ok()) {
      KernelException e = KernelException.of(Subject.OTHER, operation, begin.errno(), begin.extAck());
      if (begin.errno() == ERESTART) {
        return e;
      }
      throw e;
    }
    for (int i = 1; i < acks.size(); i++) {
      if (!acks.get(i).ok()) {
        throw new FailedMessage(i, KernelException.of(Subject.OTHER, operation + ", message " + i + " ("
            + NftCodec.describe(w.flip(), i) + ")", acks.get(i).errno(),
            acks.get(i).extAck()));
      }
    }
    return null;
  }

  /** An inner message of a batch failed: the batch did not commit. */
  private static final class FailedMessage extends IOException {
    private static final long serialVersionUID = 1L;
    final int index;
    final KernelException error;

    FailedMessage(int index, KernelException error) {
      super(error.getMessage());
      this.index = index;
      this.error = error;
    }
  }

  private void refresh() throws IOException {
    if (valid && reader.gen() == gen) {
      return;
    }
    TableReader.Read r = reader.read();
    model = r.model();
    gen = r.gen();
    valid = true;
  }

  /**
   * The table as IPVS rows with their counters, read now: the generation checked (the table
   * re-read when someone changed the ruleset), then the counters dumped; the rows are made
   * once per version of the table, and an unchanged service is the same object as last time.
   */
  @Override
  public synchronized List<ServiceSnapshot> services() throws IOException {
    refresh();
    if (stats == null || statsGen != gen) {
      stats = new StatsReader(model.snapshot());
      statsGen = gen;
    }
    return stats.read(socket);
  }

  /**
   * Applies the changes the way IPVS would, each checked against the table (EEXIST, ESRCH,
   * ENOENT, EINVAL, EOPNOTSUPP for what nftables cannot do), then sends what they change
   * as one batch per ~512 KiB, each atomic.
   *
   * @throws BatchException naming each failed change, its index and its error
   */
  @Override
  public synchronized void apply(List<IpvsOp> ops) throws IOException {
    long start = System.nanoTime();
    kernelNanos = 0;
    try {
      applyTimed(ops);
    } finally {
      if (LOG.isDebugEnabled()) {
        LOG.debug("TIMING nftables apply of {} changes: total_us {} batch_sent_and_acked_us {}", ops.size(),
            (System.nanoTime() - start) / 1000, kernelNanos / 1000);
      }
    }
  }

  private void applyTimed(List<IpvsOp> ops) throws IOException {
    for (int attempt = 0; ; attempt++) {
      refresh();
      TableModel next = model.overlay(); // O(change): a change must not copy 10,000 services
      BatchException.Builder failures = new BatchException.Builder(ops.size());
      Map<ServiceKey.Inet, List<Integer>> touched = new LinkedHashMap<>();
      for (int i = 0; i < ops.size(); i++) {
        KernelException e;
        try {
          e = next.apply(ops.get(i), links.deviceFor(ops.get(i)));
        } catch (KernelException x) {
          e = x;
        }
        if (e != null) {
          failures.add(i, ops.get(i), e);
        } else {
          touched.computeIfAbsent((ServiceKey.Inet) keyOf(ops.get(i)), k -> new ArrayList<>()).add(i);
        }
      }
      try {
        if (send(next, touched, ops, failures)) {
          break;
        }
      } catch (Stale s) {
        valid = false;
        if (attempt + 1 >= ATTEMPTS) {
          throw s.error;
        }
        continue;
      }
      break;
    }
  }

  private static final class Stale extends IOException {
    private static final long serialVersionUID = 1L;
    final KernelException error;

    Stale(KernelException error) {
      super(error.getMessage());
      this.error = error;
    }
  }

  /** Sends the changes; true when done (failures thrown), Stale when the generation moved before the first batch. */
  private boolean send(TableModel next, Map<ServiceKey.Inet, List<Integer>> touched, List<IpvsOp> ops,
      BatchException.Builder failures) throws IOException {
    List<ServiceKey.Inet> keys = new ArrayList<>(touched.keySet());
    int k = 0;
    boolean first = true;
    while (k < keys.size()) {
      NlWriter w = new NlWriter(8192);
      NftCodec.batchBegin(w, gen);
      List<ServiceKey.Inet> owners = new ArrayList<>();
      owners.add(null);
      int from = k;
      while (k < keys.size() && (k == from || w.position() < BATCH_BYTES)) {
        ServiceKey.Inet key = keys.get(k++);
        int n;
        try {
          n = DrWriter.service(w, key, model.get(key), next.get(key), k, this::ifindex);
        } catch (java.io.UncheckedIOException e) {
          throw e.getCause(); // an interface gone between resolving and writing
        }
        for (int j = 0; j < n; j++) {
          owners.add(key);
        }
      }
      java.util.Set<ServiceKey.Inet> inBatch = new java.util.HashSet<>(keys.subList(from, k));
      int counters = StatsWriter.write(w, inBatch, model.services(), s -> inBatch.contains(s) ? next.get(s)
          : model.get(s));
      for (int j = 0; j < counters; j++) {
        owners.add(keys.get(from));
      }
      NftCodec.batchEnd(w);
      if (owners.size() == 1) {
        continue;
      }
      String op = "nftables batch of " + (owners.size() - 1) + " changes to " + (k - from) + " services";
      try {
        KernelException stale = commit(w, op);
        if (stale != null) {
          if (first) {
            throw new Stale(stale);
          }
          valid = false;
          failAll(keys.subList(from, keys.size()), touched, ops, failures, stale);
          break;
        }
      } catch (FailedMessage f) {
        valid = false;
        ServiceKey.Inet bad = owners.get(f.index);
        for (ServiceKey.Inet key : keys.subList(from, keys.size())) {
          KernelException e = key.equals(bad) ? f.error : KernelException.of(Subject.OTHER, "nftables change of "
              + key, Errno.ECANCELED, "not applied: its batch failed on " + bad + ": " + f.error.getMessage());
          failAll(List.of(key), touched, ops, failures, e);
        }
        break;
      }
      first = false;
      for (ServiceKey.Inet key : keys.subList(from, k)) {
        model.put(key, next.get(key)); // in place: the model is this object's own
      }
      gen = gen + 1 == 0 ? 1 : gen + 1;
    }
    failures.throwIfAny();
    return true;
  }

  private int ifindex(String device) {
    try {
      return links.index(device);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void failAll(List<ServiceKey.Inet> keys, Map<ServiceKey.Inet, List<Integer>> touched,
      List<IpvsOp> ops, BatchException.Builder failures, KernelException e) {
    for (ServiceKey.Inet key : keys) {
      for (int i : touched.get(key)) {
        failures.add(i, ops.get(i), e);
      }
    }
  }

  private static ServiceKey keyOf(IpvsOp op) {
    if (op instanceof IpvsOp.AddService a) {
      return a.service().key();
    } else if (op instanceof IpvsOp.UpdateService u) {
      return u.service().key();
    } else if (op instanceof IpvsOp.DeleteService d) {
      return d.key();
    } else if (op instanceof IpvsOp.AddDest a) {
      return a.key();
    } else if (op instanceof IpvsOp.UpdateDest u) {
      return u.key();
    }
    return ((IpvsOp.DeleteDest) op).key();
  }

  private void one(IpvsOp op) throws IOException {
    try {
      apply(List.of(op));
    } catch (BatchException e) {
      throw e.failures().get(0).error();
    }
  }

  @Override
  public synchronized void addService(IpvsService service) throws IOException {
    one(new IpvsOp.AddService(service));
  }

  @Override
  public synchronized void updateService(IpvsService service) throws IOException {
    one(new IpvsOp.UpdateService(service));
  }

  @Override
  public synchronized void deleteService(ServiceKey key) throws IOException {
    one(new IpvsOp.DeleteService(key));
  }

  @Override
  public synchronized void addDest(ServiceKey service, IpvsDest dest) throws IOException {
    one(new IpvsOp.AddDest(service, dest));
  }

  @Override
  public synchronized void updateDest(ServiceKey service, IpvsDest dest) throws IOException {
    one(new IpvsOp.UpdateDest(service, dest));
  }

  @Override
  public synchronized void deleteDest(ServiceKey service, RealServerKey dest) throws IOException {
    one(new IpvsOp.DeleteDest(service, dest));
  }

  /** Deletes every service: the table is deleted and created afresh in one batch. */
  @Override
  public synchronized void flush() throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      refresh();
      NlWriter w = new NlWriter(4096);
      NftCodec.batchBegin(w, gen);
      NftCodec.delTable(w, LbTable.FAMILY, LbTable.TABLE);
      NftCodec.newTable(w, DrTable.FAMILY, DrTable.TABLE); // so that the delete finds it
      NftCodec.delTable(w, DrTable.FAMILY, DrTable.TABLE);
      LbTable.skeleton(w);
      NftCodec.batchEnd(w);
      valid = false;
      if (commit(w, "nftables flush table inet " + LbTable.TABLE) == null) {
        return;
      }
    }
    throw KernelException.of(Subject.OTHER, "nftables flush", ERESTART, "the ruleset kept changing");
  }

  /**
   * Sets the counters of the service's real servers (null: every service's) to 0: their
   * elements of the counters set are deleted and added again, in one batch. Counters are kept
   * per VIP and protocol, so this zeroes those of the VIP's services on other ports too.
   */
  @Override
  public synchronized void zero(ServiceKey service) throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      refresh();
      if (service != null && (!(service instanceof ServiceKey.Inet i) || model.get(i) == null)) {
        throw KernelException.of(Subject.SERVICE, "nftables zero " + service, Errno.ESRCH, null);
      }
      NlWriter w = new NlWriter(4096);
      NftCodec.batchBegin(w, gen);
      int n = 0;
      // counters are per VIP and protocol (LbStats): each group's once
      for (var g : StatsWriter.groups(model.services(), (ServiceKey.Inet) service).entrySet()) {
        n += LbStats.delete(w, g.getKey(), g.getValue());
        n += LbStats.add(w, g.getKey(), g.getValue());
      }
      NftCodec.batchEnd(w);
      if (n == 0) {
        return;
      }
      valid = false;
      if (commit(w, "nftables zero " + (service == null ? "all services" : service)) == null) {
        return;
      }
    }
    throw KernelException.of(Subject.OTHER, "nftables zero", ERESTART, "the ruleset kept changing");
  }

  /** nftables has no IPVS version or connection table: version 0.0.0, size 0. */
  @Override
  public IpvsInfo info() {
    return new IpvsInfo(0, 0);
  }

  /** Refused: NAT connections are conntrack's, whose timeouts are sysctls (net.netfilter.nf_conntrack_*). */
  @Override
  public IpvsTimeouts timeouts() throws IOException {
    throw unsupported("get timeouts", "connection timeouts are conntrack's sysctls net.netfilter.nf_conntrack_*");
  }

  /** Refused, see {@link #timeouts()}. */
  @Override
  public void setTimeouts(IpvsTimeouts timeouts) throws IOException {
    throw unsupported("set timeouts", "connection timeouts are conntrack's sysctls net.netfilter.nf_conntrack_*");
  }

  /** None: nftables has no IPVS sync daemon. */
  @Override
  public List<SyncDaemon> syncDaemons() {
    return List.of();
  }

  /** Refused: conntrack state is synchronised by conntrackd, not by lbkit. */
  @Override
  public void startSyncDaemon(SyncDaemon daemon) throws IOException {
    throw unsupported("start sync daemon", "connection state is synchronised by conntrackd on nftables");
  }

  /** Refused, see {@link #startSyncDaemon}. */
  @Override
  public void stopSyncDaemon(SyncDaemon.Role role) throws IOException {
    throw unsupported("stop sync daemon", "connection state is synchronised by conntrackd on nftables");
  }

  private static KernelException unsupported(String op, String why) {
    return KernelException.of(Subject.OTHER, "nftables " + op, Errno.EOPNOTSUPP, why);
  }

  /** Closes the socket; the table stays (as IPVS services stay). */
  @Override
  public synchronized void close() throws IOException {
    links.close();
    socket.close();
  }
}
