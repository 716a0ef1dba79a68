package io.lbkit.netlink.internal;

import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.kernel.KernelException.Subject;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A generic netlink family as the controller (CTRL_CMD_GETFAMILY) describes it.
 *
 * @param name family name, e.g. {@code IPVS}
 * @param id the message type to use for it
 * @param version the family's version
 * @param maxAttr its highest top-level attribute
 */
public record GenlFamily(String name, int id, int version, int maxAttr) {

  /** The CTRL_CMD_GETFAMILY request for {@code name}. */
  public static ByteBuffer request(String name) {
    NlWriter w = new NlWriter(64);
    int m = w.beginMessage(Nl.GENL_ID_CTRL, Nl.NLM_F_REQUEST);
    w.genl(Nl.CTRL_CMD_GETFAMILY, 1);
    w.putString(Nl.CTRL_ATTR_FAMILY_NAME, name);
    w.endMessage(m);
    return w.flip();
  }

  /** Parses the controller's reply message (one whole message in {@code reply}). */
  public static GenlFamily parse(ByteBuffer reply) throws ProtocolException {
    int len = reply.getInt(0);
    if (len < Nl.NLMSG_HDRLEN + Nl.GENL_HDRLEN || len > reply.limit()) {
      throw new ProtocolException("generic netlink controller reply too short: " + len + " bytes");
    }
    NlAttrs a = NlAttrs.parse(reply, Nl.NLMSG_HDRLEN + Nl.GENL_HDRLEN, len, Nl.CTRL_ATTR_MCAST_GROUPS);
    return new GenlFamily(a.string(Nl.CTRL_ATTR_FAMILY_NAME), a.u16(Nl.CTRL_ATTR_FAMILY_ID),
        a.u32(Nl.CTRL_ATTR_VERSION, 0), a.u32(Nl.CTRL_ATTR_MAXATTR, 0));
  }

  /**
   * Asks the kernel for family {@code name}.
   *
   * @throws KernelException ENOENT when the kernel does not have it (module not loaded)
   */
  public static GenlFamily resolve(NetlinkSocket socket, String name) throws IOException {
    String op = "resolve generic netlink family " + name;
    List<ByteBuffer> replies = socket.request(request(name), Subject.OTHER, op);
    if (replies.isEmpty()) {
      throw KernelException.of(Subject.OTHER, op + ": the controller sent no reply", Errno.EPROTO, null);
    }
    return parse(replies.get(0));
  }
}
