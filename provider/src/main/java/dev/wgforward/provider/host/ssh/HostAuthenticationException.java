package dev.wgforward.provider.host.ssh;

import java.util.List;

/**
 * The host rejected every credential offered, or a credential could not be used (such as a
 * private key that does not decrypt). Names the methods tried, never the secrets.
 */
public class HostAuthenticationException extends HostException {
    private final List<String> methodsTried;

    public HostAuthenticationException(String host, String message, List<String> methodsTried) {
        this(host, message, methodsTried, null);
    }

    public HostAuthenticationException(String host, String message, List<String> methodsTried, Throwable cause) {
        super(host, message, cause);
        this.methodsTried = List.copyOf(methodsTried);
    }

    /** For example {@code [publickey (privateKey), password, keyboard-interactive]}. */
    public List<String> methodsTried() {
        return methodsTried;
    }
}
