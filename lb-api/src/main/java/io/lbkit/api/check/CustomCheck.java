package io.lbkit.api.check;

import java.util.Map;

/**
 * A check run by a plug-in checker: {@code type} names it (as found by
 * {@code ServiceLoader}), {@code params} are its settings.
 *
 * @param type the checker's name
 * @param params its settings
 * @param timing timing
 * @param target target
 */
public record CustomCheck(String type, Map<String, String> params, CheckTiming timing, CheckTarget target)
    implements CheckSpec {
  /** Copies. */
  public CustomCheck {
    params = Map.copyOf(params);
  }
}
