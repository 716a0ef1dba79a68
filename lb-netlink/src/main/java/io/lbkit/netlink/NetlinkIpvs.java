package io.lbkit.netlink;

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
import io.lbkit.api.kernel.UnknownSchedulerException;
import io.lbkit.netlink.internal.GenlFamily;
import io.lbkit.netlink.internal.IpvsCodec;
import io.lbkit.netlink.internal.IpvsDecoder;
import io.lbkit.netlink.internal.NetlinkSocket;
import io.lbkit.netlink.internal.Nl;
import io.lbkit.netlink.internal.NlWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's IPVS table over generic netlink, the way ipvsadm and keepalived drive it.
 * The family id is resolved when opened; every request is acknowledged; failures are
 * {@link KernelException}s naming the operation, errno and the kernel's extended-ack
 * text. {@link #apply} sends a whole list of changes in as few {@code sendmsg} calls as
 * the socket buffers allow, one ack per change. Thread-safe (calls are serialised).
 *
 * <pre>{@code
 * try (Ipvs ipvs = NetlinkIpvs.open()) {
 *   ServiceKey vip = ServiceKey.of(Protocol.TCP, Inet.parse("192.168.0.200"), 80);
 *   ipvs.addService(IpvsService.of(vip, Scheduler.RR));
 *   ipvs.addDest(vip, IpvsDest.of(Inet.parse("192.168.0.61"), 80, Forwarding.DR, 1));
 * }
 * }</pre>
 */
public final class NetlinkIpvs implements Ipvs {
  /** lbkit's hint when the kernel has no IPVS: the end of an {@link IpvsUnavailableException}'s message. */
  public static final String NOT_AVAILABLE =
      "IPVS is not available in this kernel (generic netlink family IPVS not found); modprobe ip_vs";

  private final NetlinkSocket socket;
  private final IpvsCodec codec;
  private final NlWriter writer = new NlWriter(4096);

  private NetlinkIpvs(NetlinkSocket socket, IpvsCodec codec) {
    this.socket = socket;
    this.codec = codec;
  }

  /**
   * Opens IPVS in the current network namespace.
   *
   * @throws IpvsUnavailableException (ENOENT) when the kernel has no IPVS (module not loaded)
   */
  public static NetlinkIpvs open() throws IOException {
    return open(null);
  }

  /**
   * Opens IPVS in the named network namespace ({@code /run/netns/NAME}); null means the
   * current one. The socket stays in that namespace; the calling thread does not.
   */
  public static NetlinkIpvs open(String netnsName) throws IOException {
    return over(NetlinkSocket.open(Nl.NETLINK_GENERIC, netnsName));
  }

  /** IPVS over an already open generic netlink socket (a fake kernel in tests). */
  static NetlinkIpvs over(NetlinkSocket socket) throws IOException {
    try {
      GenlFamily f;
      try {
        f = GenlFamily.resolve(socket, IpvsCodec.FAMILY);
      } catch (KernelException e) {
        if (e.errno() == Errno.ENOENT) {
          throw new IpvsUnavailableException(e);
        }
        throw e;
      }
      return new NetlinkIpvs(socket, new IpvsCodec(f.id()));
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private ByteBuffer build(java.util.function.Consumer<NlWriter> body) {
    writer.clear();
    body.accept(writer);
    return writer.flip();
  }

  private List<ByteBuffer> call(Subject subject, String op, java.util.function.Consumer<NlWriter> body)
      throws IOException {
    return socket.request(build(body), subject, "IPVS " + op);
  }

  @Override
  public synchronized IpvsInfo info() throws IOException {
    List<ByteBuffer> r = call(Subject.OTHER, "get info", codec::getInfo);
    return IpvsDecoder.info(one(r, "get info"), 0, r.get(0).limit());
  }

  @Override
  public synchronized List<ServiceSnapshot> services() throws IOException {
    List<ServiceSnapshot> svcs = socket.dump(build(codec::dumpServices), "IPVS list services", IpvsDecoder::service);
    List<ServiceSnapshot> out = new ArrayList<>(svcs.size());
    for (ServiceSnapshot s : svcs) {
      ServiceKey key = s.key();
      try {
        writer.clear();
        codec.dumpDests(writer, key);
        List<ServiceSnapshot.DestSnapshot> dests = socket.dump(writer.flip(),
            () -> "IPVS list destinations of " + key, (b, off, len) -> IpvsDecoder.dest(b, off, len, key.family()));
        out.add(new ServiceSnapshot(s.service(), s.stats(), dests));
      } catch (KernelException e) {
        if (e.errno() != Errno.ESRCH) {
          throw e;
        }
        // deleted between the two dumps: it is not there any more
      }
    }
    return out;
  }

  @Override
  public synchronized void addService(IpvsService service) throws IOException {
    change(new IpvsOp.AddService(service));
  }

  @Override
  public synchronized void updateService(IpvsService service) throws IOException {
    change(new IpvsOp.UpdateService(service));
  }

  @Override
  public synchronized void deleteService(ServiceKey key) throws IOException {
    change(new IpvsOp.DeleteService(key));
  }

  @Override
  public synchronized void addDest(ServiceKey service, IpvsDest dest) throws IOException {
    change(new IpvsOp.AddDest(service, dest));
  }

  @Override
  public synchronized void updateDest(ServiceKey service, IpvsDest dest) throws IOException {
    change(new IpvsOp.UpdateDest(service, dest));
  }

  @Override
  public synchronized void deleteDest(ServiceKey service, RealServerKey dest) throws IOException {
    change(new IpvsOp.DeleteDest(service, dest));
  }

  /** One change, its failure named as {@link KernelException#of(IpvsOp, int, String)} names it (as FakeIpvs does). */
  private void change(IpvsOp op) throws IOException {
    try {
      socket.request(build(w -> codec.op(w, op)), subjectOf(op), op.operation());
    } catch (UnknownSchedulerException e) {
      throw KernelException.of(op, e.errno(), e.extAck()); // the ack does not say which scheduler: the op does
    }
  }

  @Override
  public synchronized void flush() throws IOException {
    call(Subject.OTHER, "flush", codec::flush);
  }

  @Override
  public synchronized void zero(ServiceKey service) throws IOException {
    call(service == null ? Subject.OTHER : Subject.SERVICE, "zero " + (service == null ? "all" : service),
        w -> codec.zero(w, service));
  }

  @Override
  public synchronized IpvsTimeouts timeouts() throws IOException {
    List<ByteBuffer> r = call(Subject.OTHER, "get timeouts", codec::getConfig);
    return IpvsDecoder.timeouts(one(r, "get timeouts"), 0, r.get(0).limit());
  }

  @Override
  public synchronized void setTimeouts(IpvsTimeouts timeouts) throws IOException {
    call(Subject.OTHER, "set timeouts " + timeouts.tcp() + " " + timeouts.tcpFin() + " " + timeouts.udp(),
        w -> codec.setConfig(w, timeouts));
  }

  @Override
  public synchronized List<SyncDaemon> syncDaemons() throws IOException {
    return socket.dump(build(codec::dumpDaemons), "IPVS list sync daemons", IpvsDecoder::daemon);
  }

  @Override
  public synchronized void startSyncDaemon(SyncDaemon daemon) throws IOException {
    call(Subject.OTHER, "start sync daemon " + daemon.role() + " on " + daemon.interfaceName() + " syncid "
        + daemon.syncId(), w -> codec.newDaemon(w, daemon));
  }

  @Override
  public synchronized void stopSyncDaemon(SyncDaemon.Role role) throws IOException {
    call(Subject.OTHER, "stop sync daemon " + role, w -> codec.delDaemon(w, role));
  }

  /**
   * Sends all changes as one batch (split only where the socket buffers require), one
   * ack each; every change is attempted.
   *
   * @throws BatchException naming each failed change, its index and its error
   */
  @Override
  public synchronized void apply(List<IpvsOp> ops) throws IOException {
    if (ops.isEmpty()) {
      return;
    }
    NlWriter w = new NlWriter(ops.size() * 128);
    for (IpvsOp op : ops) {
      codec.op(w, op);
    }
    List<NetlinkSocket.Ack> acks = socket.batch(w.flip());
    BatchException.Builder failures = new BatchException.Builder(ops.size());
    for (int i = 0; i < ops.size(); i++) {
      NetlinkSocket.Ack a = acks.get(i);
      if (!a.ok()) {
        IpvsOp op = ops.get(i);
        failures.add(i, op, KernelException.of(op, a.errno(), a.extAck()));
      }
    }
    failures.throwIfAny();
  }

  private static Subject subjectOf(IpvsOp op) {
    return op instanceof IpvsOp.AddDest || op instanceof IpvsOp.UpdateDest || op instanceof IpvsOp.DeleteDest
        ? Subject.DEST : Subject.SERVICE;
  }

  private static ByteBuffer one(List<ByteBuffer> replies, String op) throws KernelException {
    if (replies.isEmpty()) {
      throw KernelException.of(Subject.OTHER, "IPVS " + op + ": the kernel sent no reply", Errno.EPROTO, null);
    }
    return replies.get(0);
  }

  @Override
  public synchronized void close() throws IOException {
    socket.close();
  }
}
