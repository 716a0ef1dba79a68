package io.lbkit.api.check;

/**
 * keepalived's DNS_CHECK: a query that must get an answer (NOERROR with at least one
 * answer record).
 *
 * @param queryType record type name, e.g. "SOA" (keepalived's default) or "A"
 * @param name the name to query (default ".")
 * @param timing timing
 * @param target target (port defaults to 53)
 */
public record DnsCheck(String queryType, String name, CheckTiming timing, CheckTarget target) implements CheckSpec {
  @Override
  public String type() {
    return "DNS_CHECK";
  }
}
