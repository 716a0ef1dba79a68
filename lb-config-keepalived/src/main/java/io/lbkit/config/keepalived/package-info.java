/**
 * keepalived.conf for lbkit. Entry points:
 * <ul>
 *   <li>{@link io.lbkit.config.keepalived.KeepalivedConfig#parse(java.nio.file.Path)} (and
 *       {@code parse(Path, Options)}, {@code parse(String, String, Path, Options)}): the whole
 *       language (comments, quoting, {@code include} with globs and braces, {@code $NAME}
 *       parameters, {@code @id} conditionals, {@code ~SEQ}/{@code ~LST}) read into an
 *       {@link io.lbkit.api.LoadBalancerSpec}; {@code parse(Path, Options, previous)} reads a file
 *       again redoing only what changed, from what a reloadable read kept
 *       ({@code Options.withReloadable(false)}: a one-shot read keeps nothing);</li>
 *   <li>{@link io.lbkit.config.keepalived.Diagnostic}: every finding with file:line:column,
 *       including mistakes keepalived accepts silently;</li>
 *   <li>{@link io.lbkit.config.keepalived.KeepalivedConfig#export(io.lbkit.api.LoadBalancerSpec)}:
 *       a spec back to keepalived.conf text.</li>
 * </ul>
 * Keywords lbkit reads but does not act on are carried in the spec for export
 * ({@link io.lbkit.api.vrrp.VrrpExtras}, {@link io.lbkit.api.vrrp.SyncGroupExtras}, raw
 * global_defs values) and warned at their line with what lbkit does instead; the few it
 * cannot carry (some address options, unmodelled top-level blocks) are warned as dropped.
 * Everything else in this package is package-private.
 */
package io.lbkit.config.keepalived;
