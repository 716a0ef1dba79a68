package io.lbkit.bench.config;

/** The man page's ~SEQ example: {@code groups * 254} vrrp_instance blocks from one definition. */
final class BigConfig {
  private BigConfig() {}

  /** keepalived.conf text; {@code groups} of 254 instances each (256 groups = 65,024 instances). */
  static String text(int groups) {
    int ifs = Math.max(1, groups / 32);
    int nums = Math.min(groups, 32);
    return "$VI4= \\\n"
        + "vrrp_instance vrrp4.${IF}.${NUM}.${ID} { \\\n"
        + "    interface bond${IF}.${NUM} \\\n"
        + "    virtual_router_id ${ID} \\\n"
        + "    priority 130 \\\n"
        + "    advert_int 1 \\\n"
        + "    virtual_ipaddress { \\\n"
        + "        10.${IF}.${NUM}.${ID}/24 \\\n"
        + "    } \\\n"
        + "}\n\n"
        + "~SEQ(IF,0," + (ifs - 1) + ") ~SEQ(NUM,0," + (nums - 1) + ") ~SEQ(ID,1,254) $VI4\n";
  }

  /** Writes the 65,024-instance file: {@code BigConfig FILE}. */
  public static void main(String[] args) throws java.io.IOException {
    java.nio.file.Files.writeString(java.nio.file.Path.of(args[0]), text(256));
  }
}
