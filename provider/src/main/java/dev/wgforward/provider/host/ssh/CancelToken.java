package dev.wgforward.provider.host.ssh;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Lets the caller stop a connection attempt early: when it was cancelled (Ctrl-C on {@code
 * pulumi up} reaches the plugin as a flag) or its overall time (a resource's customTimeouts) is
 * up. Dialing checks it between attempts, while waiting to retry and while an attempt is in
 * progress, every {@link #POLL_INTERVAL}: a flag is all a caller has to offer.
 */
public final class CancelToken {
    /** Never stops: dialing ends only by success or the dial limit. */
    public static final CancelToken NONE = new CancelToken(() -> false, Optional.empty(), 0);

    static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private final BooleanSupplier cancelled;
    private final Optional<Duration> timeout;
    private final long deadlineNanos;

    private CancelToken(BooleanSupplier cancelled, Optional<Duration> timeout, long startNanos) {
        this.cancelled = Objects.requireNonNull(cancelled, "cancelled");
        this.timeout = timeout;
        this.deadlineNanos = startNanos + timeout.map(Duration::toNanos).orElse(0L);
    }

    /** Stops once {@code cancelled} turns true. */
    public static CancelToken of(BooleanSupplier cancelled) {
        return new CancelToken(cancelled, Optional.empty(), 0);
    }

    /**
     * Stops once {@code cancelled} turns true or {@code timeout} has passed since {@code
     * startNanos} (a {@link System#nanoTime()} reading: when the whole operation began).
     */
    public static CancelToken of(BooleanSupplier cancelled, Duration timeout, long startNanos) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        return new CancelToken(cancelled, Optional.of(timeout), startNanos);
    }

    public boolean isCancelled() {
        return cancelled.getAsBoolean();
    }

    public boolean isTimedOut() {
        return timeout.isPresent() && System.nanoTime() - deadlineNanos >= 0;
    }

    boolean isStopped() {
        return isCancelled() || isTimedOut();
    }

    /**
     * Waits {@code delay}, or less once stopped.
     *
     * @return false if stopped (before or while waiting)
     * @throws InterruptedException if the thread was interrupted
     */
    boolean sleep(Duration delay) throws InterruptedException {
        long end = System.nanoTime() + delay.toNanos();
        for (long left = delay.toNanos(); left > 0; left = end - System.nanoTime()) {
            if (isStopped()) {
                return false;
            }
            Thread.sleep(Math.max(1, Math.min(left, POLL_INTERVAL.toNanos()) / 1_000_000));
        }
        return !isStopped();
    }

    /** "cancelled while dialing" or "timed out after 2m while dialing": {@code activity} follows. */
    String describeStop(String activity) {
        return (isCancelled() ? "cancelled" : "timed out after " + Durations.human(timeout.orElseThrow()))
                + " while " + activity;
    }

    @Override
    public String toString() {
        return "CancelToken[" + (isCancelled() ? "cancelled" : "not cancelled")
                + timeout.map(t -> ", timeout " + Durations.human(t)).orElse("") + "]";
    }
}
