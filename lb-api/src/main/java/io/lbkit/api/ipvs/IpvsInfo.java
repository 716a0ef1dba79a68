package io.lbkit.api.ipvs;

/**
 * IPVS_CMD_GET_INFO: the kernel's IPVS version and connection table size.
 *
 * @param version version as the kernel encodes it (major &lt;&lt; 16 | minor &lt;&lt; 8 | patch)
 * @param connTableSize connection hash table size
 */
public record IpvsInfo(int version, int connTableSize) {
  /** What every Linux since 2.6 reports: 1.2.1, 4096 buckets. */
  public static final IpvsInfo LINUX_DEFAULT = new IpvsInfo(0x010201, 4096);

  /** {@code 1.2.1}. */
  public String versionString() {
    return ((version >> 16) & 0xff) + "." + ((version >> 8) & 0xff) + "." + (version & 0xff);
  }
}
