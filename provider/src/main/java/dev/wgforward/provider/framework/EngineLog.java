package dev.wgforward.provider.framework;

/**
 * User-visible messages, shown by the engine next to a resource (its URN) in {@code pulumi up}.
 * A plugin's own stdout/stderr are hidden by the engine, so this is the only way to talk to the user.
 */
public interface EngineLog {
    enum Severity { DEBUG, INFO, WARNING, ERROR }

    /** Logs a message; {@code urn} may be empty for provider-wide messages. Never throws. */
    void log(Severity severity, String urn, String message);

    /** Drops every message: for tests and for runs without an engine. */
    EngineLog DISCARD = (severity, urn, message) -> {};
}
