package io.lbkit.nftables.internal;

import static io.lbkit.nftables.internal.Golden.assertSame;
import static io.lbkit.nftables.internal.Golden.messages;

import io.lbkit.api.Family;
import io.lbkit.api.net.Inet;
import io.lbkit.netlink.internal.NlWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real-server REDIRECT table equals, byte for byte, what nft 1.0.6 sends for golden/rs.nft. */
class RedirectTableGoldenTest {
  @Test
  void redirectTable_equalsNftBatch() throws Exception {
    NlWriter w = new NlWriter(4096);
    NftCodec.batchBegin(w, 0);
    RedirectTable.create(w);
    NftCodec.newElems(w, Nft.NFPROTO_INET, RedirectTable.TABLE, RedirectTable.set(Family.INET), 1,
        RedirectTable.elems(List.of(Inet.parse("192.168.0.200"))));
    NftCodec.newElems(w, Nft.NFPROTO_INET, RedirectTable.TABLE, RedirectTable.set(Family.INET6), 2,
        RedirectTable.elems(List.of(Inet.parse("2001:db8::200"))));
    NftCodec.batchEnd(w);
    assertSame(messages(w), messages("rs"));
  }
}
