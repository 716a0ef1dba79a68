package io.lbkit.nftables.internal;

import static io.lbkit.nftables.internal.Golden.assertSame;
import static io.lbkit.nftables.internal.Golden.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.net.Inet;
import io.lbkit.netlink.internal.NlWriter;
import io.lbkit.nftables.internal.NftCodec.Elem;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * lbkit's direct-routing messages equal, byte for byte, what nft 1.0.6 sends for
 * golden/dr.nft (captured as golden/README.md says; eth0 had ifindex 3 there).
 */
class DrCodecGoldenTest {
  static final ServiceKey.Inet WEB = (ServiceKey.Inet) ServiceKey.of(Protocol.TCP, Inet.parse("192.168.0.200"), 80);
  static final RealServerKey R1 = RealServerKey.of("192.168.0.61", 80);
  static final String T = DrTable.TABLE;
  static final int F = DrTable.FAMILY;
  static final int ETH0 = 3;

  @Test
  void drService_equalsNftBatch() throws Exception {
    NlWriter w = new NlWriter(8192);
    NftCodec.batchBegin(w, 0);
    NftCodec.newTable(w, F, T);
    NftCodec.newChain(w, F, T, DrTable.chain(WEB));
    NftCodec.newChain(w, F, T, "c1");
    DrCodec.newIngressChain(w, T, DrTable.ingressChain("eth0"), "eth0", DrTable.PRIORITY);
    NftCodec.newMap(w, F, T, DrTable.SERVICES, Nft.concat(7, 12, 13), 12, Nft.DATA_VERDICT_TYPE, 0, 1,
        Udata.VERDICT_MAP);
    NftCodec.newMap(w, F, T, DrTable.DESTS, Nft.concat(7, 12, 13, 7, 13), 20, Nft.TYPE_MARK, 4, 2, Udata.MARK_MAP);
    DrTable.newMaps(w, WEB, 3);
    DrTable.rules(w, WEB, "wrr", 3, "eth0", ETH0, 3, 0);
    DrTable.rules(w, "c1", WEB, "sh", 5, "eth0", ETH0, 3, 0);
    DrTable.rules(w, "c1", WEB, "dh", 5, "eth0", ETH0, 3, 0);
    NlWriter random = new NlWriter(4096);
    DrTable.rules(random, "c1", WEB, "random", 4, "eth0", ETH0, 3, 0);
    List<String> randomRules = Golden.messages(random);
    NftCodec.newRule(w, F, T, DrTable.ingressChain("eth0"), x -> DrTable.dispatch(x, 1), null);
    NftCodec.newElems(w, F, T, DrTable.SERVICES, 1, List.of(Elem.gotoChain(LbTable.serviceKey(WEB),
        DrTable.chain(WEB))));
    NftCodec.newElems(w, F, T, DrTable.slotsMap(WEB), 3, DrTable.slotElems(List.of(R1)));
    NftCodec.newElems(w, F, T, DrTable.realsMap(WEB), 4, DrTable.realElems(Set.of(R1)));
    NftCodec.newElems(w, F, T, DrTable.DESTS, 2, List.of(Elem.of(LbTable.destKey(WEB, R1), LbTable.u32(2))));
    NftCodec.batchEnd(w);
    List<String> mine = messages(w);
    mine.add(14, randomRules.get(1)); // nft's c1 has the random scheduler's second rule alone
    List<String> nft = messages("dr");
    assertThat(randomRules).hasSize(2);
    assertSame(mine, nft);
  }

  @Test
  void expectedSummaries_matchWhatTheDecoderReadsFromTheWrittenRules() throws Exception {
    for (String sched : List.of("rr", "wrr", "random", "sh", "dh")) {
      for (int slots : List.of(0, 3)) {
       for (int persistence : List.of(0, 300)) {
        NlWriter w = new NlWriter(8192);
        DrTable.rules(w, WEB, sched, slots, "eth0", ETH0, 0, persistence);
        java.nio.ByteBuffer b = w.flip();
        List<String> got = new java.util.ArrayList<>();
        for (int p = 0; p < b.limit(); ) {
          int len = b.order(java.nio.ByteOrder.nativeOrder()).getInt(p);
          NftDecoder.DumpedRule r = NftDecoder.rule(b, p, len);
          got.add(r.summary());
          if (got.size() == 1) {
            assertThat(r.comment()).isEqualTo(DrTable.comment(sched, "eth0", persistence));
          }
          p += (len + 3) & ~3;
        }
        assertThat(got).as(sched + " with " + slots + " slots, persistence " + persistence)
            .isEqualTo(DrTable.expectedSummaries(WEB, sched, slots, persistence));
       }
      }
    }
  }

  @Test
  void ingressRule_readsAsTheDispatchSummary_andTheRuleWithoutPkttypeDoesNot() throws Exception {
    NlWriter now = new NlWriter(1024);
    NftCodec.newRule(now, F, T, DrTable.ingressChain("eth0"), x -> DrTable.dispatch(x, 0), null);
    NlWriter before = new NlWriter(1024); // lbkit's rule before the host-only match
    NftCodec.newRule(before, F, T, DrTable.ingressChain("eth0"), x -> {
      DrCodec.ipv4Only(x);
      NftExpr.payload(x, Nft.REG_1, Nft.PAYLOAD_NETWORK, 16, 4);
      NftExpr.meta(x, Nft.META_L4PROTO, Nft.REG32_01);
      NftExpr.payload(x, Nft.REG32_02, Nft.PAYLOAD_TRANSPORT, 2, 2);
      NftExpr.lookup(x, Nft.REG_1, Nft.REG_VERDICT, DrTable.SERVICES, 0);
    }, null);
    assertThat(summary(now)).isEqualTo(DrTable.DISPATCH_SUMMARY);
    assertThat(summary(before)).isNotEqualTo(DrTable.DISPATCH_SUMMARY)
        .isEqualTo("meta cmp payload meta payload lookup:dr4");
  }

  private static String summary(NlWriter w) throws Exception {
    java.nio.ByteBuffer b = w.flip();
    return NftDecoder.rule(b, 0, b.order(java.nio.ByteOrder.nativeOrder()).getInt(0)).summary();
  }

  @Test
  void persistentDrService_equalsNftBatch() throws Exception {
    NlWriter w = new NlWriter(8192);
    NftCodec.batchBegin(w, 0);
    NftCodec.newTable(w, F, T);
    NftCodec.newChain(w, F, T, DrTable.chain(WEB));
    DrTable.newMaps(w, WEB, 1, 300);
    DrTable.rules(w, WEB, "rr", 2, "eth0", ETH0, 1, 300);
    NlWriter sh = new NlWriter(4096);
    DrTable.rules(sh, WEB, "sh", 5, "eth0", ETH0, 1, 300);
    NftCodec.batchEnd(w);
    List<String> mine = messages(w);
    mine.add(mine.size() - 1, Golden.messages(sh).get(1)); // nft's chain has sh's second rule too
    assertSame(mine, messages("drp"));
  }
}
