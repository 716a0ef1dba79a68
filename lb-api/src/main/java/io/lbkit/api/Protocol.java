package io.lbkit.api;

/** Transport protocol of an IPVS virtual service, with its IP protocol number. */
public enum Protocol {
  /** TCP, IP protocol 6. */
  TCP(6),
  /** UDP, IP protocol 17. */
  UDP(17),
  /** SCTP, IP protocol 132. */
  SCTP(132);

  private final int number;

  Protocol(int number) {
    this.number = number;
  }

  /** The IP protocol number (IPPROTO_*). */
  public int number() {
    return number;
  }

  /**
   * The protocol with this IP protocol number.
   *
   * @throws IllegalArgumentException if IPVS has no such protocol
   */
  public static Protocol ofNumber(int number) {
    for (Protocol p : values()) {
      if (p.number == number) {
        return p;
      }
    }
    throw new IllegalArgumentException("not an IPVS protocol number: " + number);
  }
}
