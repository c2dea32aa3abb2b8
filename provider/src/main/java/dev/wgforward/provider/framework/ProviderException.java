package dev.wgforward.provider.framework;

/**
 * A failure the user should read as it is: the message says what failed where (host, step) and,
 * where possible, how to fix it. It never contains secrets.
 */
public class ProviderException extends RuntimeException {
    public ProviderException(String message) {
        super(message);
    }

    public ProviderException(String message, Throwable cause) {
        super(message, cause);
    }
}
