/**
 * The scale curve at 100 to 100,000 real servers: {@link io.lbkit.bench.scale.ScaleBench}, run by
 * {@code scripts/scale.sh}; {@link io.lbkit.bench.scale.Heap} measures the heap after GC;
 * {@link io.lbkit.bench.scale.SingleFileReload} times the reload of one large file (no include).
 */
package io.lbkit.bench.scale;
