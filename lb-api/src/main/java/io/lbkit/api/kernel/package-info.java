/**
 * Kernel errors: {@link io.lbkit.api.kernel.KernelException} with its one translator
 * ({@link io.lbkit.api.kernel.KernelException#of}) from an {@link io.lbkit.api.kernel.Errno};
 * the subclasses a caller acts on ({@link io.lbkit.api.kernel.ObjectExistsException},
 * {@link io.lbkit.api.kernel.NoSuchServiceException},
 * {@link io.lbkit.api.kernel.NoSuchDestinationException},
 * {@link io.lbkit.api.kernel.NotPermittedException},
 * {@link io.lbkit.api.kernel.UnknownSchedulerException}); and
 * {@link io.lbkit.api.kernel.BatchException} for a batch some of whose requests failed.
 */
package io.lbkit.api.kernel;
