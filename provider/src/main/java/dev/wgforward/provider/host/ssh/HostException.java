package dev.wgforward.provider.host.ssh;

/**
 * A failure on or while reaching a host. The message always starts with the host's label
 * ({@code user@host:port [via ...]}) and never contains a secret: whoever builds it redacts
 * remote output first.
 */
public class HostException extends RuntimeException {
    private final String host;

    public HostException(String host, String message) {
        this(host, message, null);
    }

    public HostException(String host, String message, Throwable cause) {
        super(host + ": " + message, cause);
        this.host = host;
    }

    /** The label of the host concerned. */
    public String host() {
        return host;
    }
}
