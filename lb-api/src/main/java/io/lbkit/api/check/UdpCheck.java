package io.lbkit.api.check;

/**
 * keepalived's UDP_CHECK: send a payload; down on ICMP port unreachable; with
 * {@code requireReply}, down unless a reply matching the pattern arrives.
 *
 * @param payload bytes to send (may be empty)
 * @param requireReply whether a reply is required
 * @param replyPattern expected reply with keepalived's wildcards, or null for any
 * @param timing timing
 * @param target target
 */
public record UdpCheck(byte[] payload, boolean requireReply, String replyPattern, CheckTiming timing,
    CheckTarget target) implements CheckSpec {
  /** Copies the payload. */
  public UdpCheck {
    payload = payload == null ? new byte[0] : payload.clone();
  }

  /** A copy of the payload. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UdpCheck u && java.util.Arrays.equals(payload, u.payload) && requireReply == u.requireReply
        && java.util.Objects.equals(replyPattern, u.replyPattern) && timing.equals(u.timing)
        && target.equals(u.target);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(java.util.Arrays.hashCode(payload), requireReply, replyPattern, timing, target);
  }

  @Override
  public String type() {
    return "UDP_CHECK";
  }
}
