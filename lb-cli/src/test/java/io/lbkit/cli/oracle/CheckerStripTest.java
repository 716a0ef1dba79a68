package io.lbkit.cli.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The checker-free copy the IPVS oracle feeds to keepalived and to lbctl apply. */
class CheckerStripTest {
  @Test
  void checkerBlocks_areRemoved_everythingElseKeptByteForByte() {
    String in = String.join("\n",
        "virtual_server 10.0.0.1 80 {",
        "  real_server 10.0.0.2 80 {",
        "    weight 2",
        "    HTTP_GET {",
        "      url {",
        "        path \"/a}b\"   ! a brace in quotes and a } in a comment",
        "      }",
        "    }",
        "    TCP_CHECK { connect_timeout 3 }",
        "    inhibit_on_failure",
        "  }",
        "}",
        "");
    assertThat(CheckerStrip.strip(in)).isEqualTo(String.join("\n",
        "virtual_server 10.0.0.1 80 {",
        "  real_server 10.0.0.2 80 {",
        "    weight 2",
        "    inhibit_on_failure",
        "  }",
        "}",
        ""));
  }

  @Test
  void configWithoutCheckers_isUnchanged() {
    String in = "global_defs {\n  router_id x\n}\n# MISC_CHECK { in a comment\n";
    assertThat(CheckerStrip.strip(in)).isEqualTo(in);
  }
}
