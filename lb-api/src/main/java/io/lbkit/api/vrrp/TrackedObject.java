package io.lbkit.api.vrrp;

import java.util.List;
import java.util.OptionalInt;

/**
 * One line of a vrrp_instance's {@code track_process} or {@code track_bfd} block,
 * {@code NAME [weight N [reverse|noreverse]]}, with the definition it refers to (the
 * {@code vrrp_track_process} or {@code bfd_instance} block) so that an export can write
 * that block back. Carried for export only: lbkit watches no processes and runs no BFD.
 *
 * @param name the vrrp_track_process / bfd_instance name
 * @param weight {@code weight N}, or empty for the definition's own weight
 * @param reverse {@code weight N reverse}
 * @param definition the lines of the referred block in keepalived syntax (e.g. {@code process haproxy}),
 *     in file order, without braces; empty when the block has no lines
 */
public record TrackedObject(String name, OptionalInt weight, boolean reverse, List<String> definition) {

  /** Validates and copies. */
  public TrackedObject {
    if (name == null || name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("a tracked name must be one non-empty word: '" + name + "'");
    }
    if (weight.isPresent() && (weight.getAsInt() < -254 || weight.getAsInt() > 254)) {
      throw new IllegalArgumentException(name + ": weight out of range -254..254: " + weight.getAsInt());
    }
    if (reverse && weight.isEmpty()) {
      throw new IllegalArgumentException(name + ": reverse needs a weight");
    }
    definition = List.copyOf(definition);
    for (String l : definition) {
      if (l.isBlank() || l.indexOf('\n') >= 0 || l.indexOf('{') >= 0 || l.indexOf('}') >= 0) {
        throw new IllegalArgumentException(name + ": a definition line must be one non-blank line without braces: '"
            + l + "'");
      }
    }
  }

  /** A reference with the definition's own weight. */
  public static TrackedObject of(String name, List<String> definition) {
    return new TrackedObject(name, OptionalInt.empty(), false, definition);
  }
}
