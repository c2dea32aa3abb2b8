package dev.wgforward.provider.host.ssh;

/**
 * Opens {@link HostSession}s. An interface so that callers can be tested without SSH. A connector
 * may keep connections open between sessions (see {@link SshjConnector#sharingConnections}):
 * {@link #close()} closes them.
 */
public interface SshConnector extends AutoCloseable {

    /** Closes whatever connections the connector keeps; sessions still open fail from then on. */
    @Override
    default void close() {}

    /**
     * Connects with the host key pinned to {@link SshTarget#hostKey()} if set, trust-on-first-use
     * otherwise, hiding only the target's own secrets.
     */
    default HostSession open(SshTarget target, DialListener listener) {
        return open(target, HostKeyPolicy.forTarget(target), listener, Redactor.of());
    }

    /**
     * Connects with an explicit policy for the target itself, for example pinned to the key a
     * previous run stored. Jump hosts always use their own {@link SshTarget#hostKey()}.
     */
    default HostSession open(SshTarget target, HostKeyPolicy hostKeyPolicy, DialListener listener) {
        return open(target, hostKeyPolicy, listener, Redactor.of());
    }

    /**
     * Connects, retrying connection-level failures as {@code target} (and each jump host)
     * allows, then authenticates.
     *
     * @param redactor hides secrets in everything the session reports: script output,
     *     exception messages, dial progress. The target's own secrets (of the whole chain) are
     *     added to it, so the caller's messages hide them too; secrets added later still count.
     * @throws HostUnreachableException when the dial limit is used up
     * @throws HostAuthenticationException at once when authentication fails
     * @throws HostKeyMismatchException at once when a host presents an unexpected key
     */
    HostSession open(SshTarget target, HostKeyPolicy hostKeyPolicy, DialListener listener, Redactor redactor);

    /**
     * Like {@link #open(SshTarget, HostKeyPolicy, DialListener, Redactor)}, but gives up as soon
     * as {@code cancel} says so: between dial attempts, while waiting to retry, and during an
     * attempt. Connectors that cannot stop midway check it once, before connecting.
     *
     * @throws HostOperationStoppedException when cancelled or past the token's deadline
     */
    default HostSession open(SshTarget target, HostKeyPolicy hostKeyPolicy, DialListener listener, Redactor redactor,
                             CancelToken cancel) {
        if (cancel.isStopped()) {
            throw new HostOperationStoppedException(target.label(), cancel.describeStop("connecting"),
                    cancel.isCancelled());
        }
        return open(target, hostKeyPolicy, listener, redactor);
    }
}
