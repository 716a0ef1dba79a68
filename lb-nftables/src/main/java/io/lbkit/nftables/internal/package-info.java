/**
 * The nf_tables wire format and lbkit's table shape, as pure code: {@link
 * io.lbkit.nftables.internal.Nft} (constants), {@link io.lbkit.nftables.internal.NftCodec}
 * and {@link io.lbkit.nftables.internal.NftExpr} (messages and expressions), {@link
 * io.lbkit.nftables.internal.NftDecoder} (dumps), {@link io.lbkit.nftables.internal.Udata}
 * (nft's userdata), {@link io.lbkit.nftables.internal.LbTable} (names, keys, skeleton),
 * {@link io.lbkit.nftables.internal.SlotLayout} (weights to slots), {@link
 * io.lbkit.nftables.internal.TableModel} (the table as IPVS rows, with the kernel's
 * refusals), {@link io.lbkit.nftables.internal.TableWriter} (model changes to messages),
 * {@link io.lbkit.nftables.internal.Maglev} (the kernel's ip_vs_mh table, for mh's slots),
 * {@link io.lbkit.nftables.internal.LbStats}, {@link io.lbkit.nftables.internal.StatsWriter}
 * and {@link io.lbkit.nftables.internal.CounterDecoder} (the per-real-server counters);
 * for direct routing (table {@code netdev lbkit}) {@link io.lbkit.nftables.internal.DrCodec}
 * (its messages and expressions), {@link io.lbkit.nftables.internal.DrTable} (its shape)
 * and {@link io.lbkit.nftables.internal.DrWriter} (changes of a service of either method);
 * {@link io.lbkit.nftables.internal.RedirectTable} (the real-server side's {@code inet lbkit_rs}).
 * Not an API: may change without notice.
 */
package io.lbkit.nftables.internal;
