package dev.wgforward.provider.host.ssh;

/** The caller's {@link CancelToken} stopped the operation: cancelled, or its time was up. */
public class HostOperationStoppedException extends HostException {
    private final boolean cancelled;

    public HostOperationStoppedException(String host, String message, boolean cancelled) {
        super(host, message);
        this.cancelled = cancelled;
    }

    /** True when cancelled, false when the caller's deadline passed. */
    public boolean cancelled() {
        return cancelled;
    }
}
