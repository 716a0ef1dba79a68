package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.harness.Tiers;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** export then parse gives the same spec, and keepalived itself accepts the exported text. */
class ExportRoundTripTest {
  private static final KeepalivedConfig.Options OPTIONS =
      KeepalivedConfig.Options.defaults().withConfigId(KeepalivedOracle.CONFIG_ID);

  @Provide
  Arbitrary<LoadBalancerSpec> specs() {
    return Arbitraries.randomValue(r -> new SpecGen(r).spec());
  }

  @Property(tries = 300)
  void exportThenParse_givesAnEqualSpecWithoutErrors(@ForAll("specs") LoadBalancerSpec spec) {
    String text = KeepalivedConfig.export(spec);
    KeepalivedConfig back = KeepalivedConfig.parse(text, "exported.conf", Path.of("."), OPTIONS);
    assertThat(back.diagnostics()).as(text).noneMatch(Diagnostic::isError);
    assertThat(back.spec()).as(text).isEqualTo(spec);
  }

  @Property(tries = 25)
  void exportedText_isAcceptedByKeepalived(@ForAll("specs") LoadBalancerSpec spec) throws Exception {
    Tiers.requireProgram("keepalived");
    KeepalivedOracle.assertAccepted(KeepalivedConfig.export(spec));
  }
}
