package dev.wgforward.provider.host;

/**
 * Quoting for POSIX sh. Every value that reaches a remote shell is validated first (at Check) and
 * quoted here as well, so that no input can change the meaning of a script.
 */
public final class Shell {
    private Shell() {}

    /** Single-quotes {@code value} for sh: the result is always exactly one word. */
    public static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
