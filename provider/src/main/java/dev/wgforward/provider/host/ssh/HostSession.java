package dev.wgforward.provider.host.ssh;

import java.time.Duration;

/**
 * An authenticated connection to one host, through which scripts run as root.
 *
 * <p>Scripts and file contents travel only over the process's stdin, never on a command line:
 * the remote command is always exactly {@code sh -s} (or {@code sudo -n sh -s}), so no value
 * shows up in {@code ps}, in sudo's log or in shell history.
 */
public interface HostSession extends AutoCloseable {

    Duration DEFAULT_WRITE_TIMEOUT = Duration.ofMinutes(2);

    /**
     * Runs a POSIX sh script as root and waits for it. A non-zero exit is a result, not an
     * exception.
     *
     * @throws HostException if the script did not finish within {@code timeout}, the
     *     connection broke, or a non-root user lacks passwordless sudo
     */
    ExecResult run(String script, Duration timeout);

    /**
     * Atomically replaces {@code path} with {@code content}, owned by root with {@code mode}
     * (octal, such as {@code "600"}). The content is treated as secret: it travels base64-encoded
     * on stdin only, the file is never readable by others while being written, and the content
     * is redacted from any error.
     */
    default void writeFile(String path, byte[] content, String mode) {
        writeFile(path, content, mode, DEFAULT_WRITE_TIMEOUT);
    }

    default void writeFile(String path, byte[] content, String mode, Duration timeout) {
        RemoteFileScript file = RemoteFileScript.of(path, content, mode);
        ExecResult result = run(file.script(), timeout);
        if (!result.ok()) {
            throw new HostException(label(), "writing " + path + " failed with exit code " + result.exitCode()
                    + file.contentRedactor().redact(RemoteFileScript.stderrSuffix(result.stderr())));
        }
    }

    /** {@code user@host:port}, with {@code via ...} for jump hosts. */
    String label();

    /** The key this host presented, as {@code type base64}: store it to pin it next time. */
    String hostKey();

    /** True when the login user is root, so scripts run without sudo. */
    boolean isRoot();

    /** Closes the connection to the host and to every jump host. Idempotent. */
    @Override
    void close();
}
