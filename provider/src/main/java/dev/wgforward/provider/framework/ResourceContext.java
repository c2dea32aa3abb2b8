package dev.wgforward.provider.framework;

import dev.wgforward.provider.framework.EngineLog.Severity;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What an operation on one resource may use: its identity, preview flag, the engine log,
 * cancellation, and its time limit ({@code timeout}, from customTimeouts) counted from {@code
 * startedNanos} ({@link System#nanoTime()} when the engine's request arrived).
 */
public record ResourceContext(String urn, String name, boolean preview, EngineLog log, BooleanSupplier cancelled,
        Optional<Duration> timeout, long startedNanos) {

    /** An operation starting now. */
    public ResourceContext(String urn, String name, boolean preview, EngineLog log, BooleanSupplier cancelled,
            Optional<Duration> timeout) {
        this(urn, name, preview, log, cancelled, timeout, System.nanoTime());
    }

    /** A progress line shown under this resource in `pulumi up`. */
    public void info(String message) {
        log.log(Severity.INFO, urn, message);
    }

    public void warn(String message) {
        log.log(Severity.WARNING, urn, message);
    }

    public void debug(String message) {
        log.log(Severity.DEBUG, urn, message);
    }

    /** Stops between host steps once the engine has asked the plugin to cancel. */
    public void throwIfCancelled() {
        if (cancelled.getAsBoolean()) {
            throw new ProviderException("cancelled by the engine");
        }
    }
}
