package dev.wgforward.provider.host.ssh;

/** Every allowed dial attempt failed at the connection level (refused, timed out, no route...). */
public class HostUnreachableException extends HostException {
    private final int attempts;
    private final String lastReason;

    public HostUnreachableException(String host, int attempts, String lastReason, Throwable cause) {
        super(host, "unreachable after " + attempts + (attempts == 1 ? " attempt" : " attempts")
                + "; last error: " + lastReason, cause);
        this.attempts = attempts;
        this.lastReason = lastReason;
    }

    public int attempts() {
        return attempts;
    }

    public String lastReason() {
        return lastReason;
    }
}
