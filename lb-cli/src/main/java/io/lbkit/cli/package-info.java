/**
 * {@code lbctl}, the lbkit command line: {@link io.lbkit.cli.Lbctl} is the entry point
 * ({@code main}, and {@code Lbctl.run(args, out, err)} for tests and embedding). Each
 * subcommand (check, show, apply, run, status, events, genhash) is one package-private picocli
 * command class listed in {@code Lbctl}'s {@code @Command}.
 */
package io.lbkit.cli;
