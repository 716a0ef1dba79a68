package io.lbkit.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The director chaos run's invariants fail on what they must catch (fed made-up looks, no namespace). */
class DirectorLookTest {
  private static final long S = 1_000_000_000L;
  private final DirectorLook look = new DirectorLook(1, 60);
  private final ChaosReal http = DirectorChaos.REALS.get(0); // HTTP_GET, 2 s x (1 retry + 1) + 1 s + delay_loop 2 s
  private final ChaosReal inhibit = DirectorChaos.REALS.get(2);
  private final ChaosReal tcp = DirectorChaos.REALS.get(4);

  private static String status(ChaosReal r, boolean up) {
    return "{\"vrrp\":{},\"services\":[{\"service\":\"TCP 10.79.0.100:80\",\"reals\":[{\"real\":\"" + r.key()
        + "\",\"up\":" + up + ",\"weight\":" + (up ? r.weight() : -1) + ",\"reason\":\"\"}]}]}";
  }

  private DirectorLook.Track track(ChaosReal r) {
    DirectorLook.Track t = new DirectorLook.Track(r);
    t.truthSince = 0;
    return t;
  }

  private long limit(ChaosReal r) {
    return r.boundNanos(DirectorChaos.DELAY_LOOP) + DirectorChaos.SLACK_NANOS;
  }

  @Test
  void backendDown_statusStillUpPastTheBound_isAViolation() {
    DirectorLook.Track t = track(http);
    t.change(Backends.Mode.DOWN, S, false);
    look.observe(List.of(t), status(http, true), Map.of(http.key(), 1), S + limit(http) - 1);
    assertThat(look.violations()).isEmpty();
    look.observe(List.of(t), status(http, true), Map.of(http.key(), 1), S + limit(http) + 1);
    assertThat(look.violations()).singleElement().asString().contains("HTTP_GET 127.0.0.1:18001 should be down");
  }

  @Test
  void stallSeenWithinTheBound_andHealthyBackendStayingUp_noViolation() {
    DirectorLook.Track t = track(http);
    DirectorLook.Track other = track(tcp);
    t.change(Backends.Mode.STALL, S, false);
    other.change(Backends.Mode.STALL, S, false); // TCP_CHECK: a stalling server still accepts
    String both = status(http, false).replace("]}]}", ",{\"real\":\"" + tcp.key() + "\",\"up\":true,\"weight\":5}]}]}");
    for (long now = S; now < 60 * S; now += S / 2) {
      look.observe(List.of(t, other), both, Map.of(tcp.key(), 5), now);
    }
    assertThat(look.violations()).isEmpty();
    assertThat(look.report().detections()).isEqualTo(1);
  }

  @Test
  void healthyBackendDroppedFromRotation_isAViolation() {
    DirectorLook.Track t = track(tcp);
    look.observe(List.of(t), status(tcp, true), Map.of(tcp.key(), 5), S);
    t.change(Backends.Mode.SILENT, 2 * S, true); // accepts, so TCP_CHECK stays up
    look.observe(List.of(t), status(tcp, false), Map.of(), 2 * S + limit(tcp) + 1);
    assertThat(look.violations()).singleElement().asString().contains("TCP_CHECK 127.0.0.1:18005 should be up");
  }

  @Test
  void statusAndDataplaneDisagreeTwice_isAViolation_onceNot() {
    DirectorLook.Track t = track(http);
    look.observe(List.of(t), status(http, true), Map.of(), S);
    assertThat(look.violations()).isEmpty();
    look.observe(List.of(t), status(http, true), Map.of(), 2 * S);
    assertThat(look.violations()).singleElement().asString().contains("weight -1 in the dataplane");
  }

  @Test
  void inhibitOnFailure_downMeansWeightZero_notAbsent() {
    DirectorLook.Track t = track(inhibit);
    t.change(Backends.Mode.DOWN, S, false);
    look.observe(List.of(t), status(inhibit, false), Map.of(inhibit.key(), 0), 2 * S);
    look.observe(List.of(t), status(inhibit, false), Map.of(inhibit.key(), 0), 3 * S);
    assertThat(look.violations()).isEmpty();
    look.observe(List.of(t), status(inhibit, false), Map.of(), 4 * S);
    look.observe(List.of(t), status(inhibit, false), Map.of(), 5 * S);
    assertThat(look.violations()).singleElement().asString().contains("weight -1");
  }

  @Test
  void realServerMissingFromStatus_isAViolation() {
    look.observe(List.of(track(http)), "{\"vrrp\":{},\"services\":[]}", Map.of(), S);
    assertThat(look.violations()).singleElement().asString().contains("missing from status");
  }

  @Test
  void hugeBodyReadToTheEnd_orPastTheTimeout_isAViolation() {
    look.hugeAnswers(List.of(new Backends.Huge(http.port(), 300L << 20, 2.4)));
    assertThat(look.violations()).isEmpty();
    look.hugeAnswers(List.of(new Backends.Huge(http.port(), 1L << 30, 8.1),
        new Backends.Huge(http.port(), 900L << 20, 7.0)));
    assertThat(look.violations()).hasSize(2).allSatisfy(v -> assertThat(v).contains("of a 1 GiB body"));
  }
}
