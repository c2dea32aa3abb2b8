package dev.wgforward.provider.host.ssh;

/** Progress of dialing, so that a user watching a long wait for a fresh VM sees why. */
@FunctionalInterface
public interface DialListener {
    DialListener NONE = (target, attempt, limit, reason) -> {};

    /**
     * Attempt {@code attempt} to reach {@code target} (one hop of the chain) failed at the
     * connection level and another attempt follows after {@link SshTarget#dialRetryDelay()}.
     *
     * @param limit the hop's dial limit, {@link SshTarget#UNLIMITED_DIALS} for none
     * @param reason already redacted, e.g. "connection refused"
     */
    void onRetry(SshTarget target, int attempt, int limit, String reason);

    /** "dial 3/10 to root@1.2.3.4:22 failed: connection refused; retrying in 5s". */
    static String describe(SshTarget target, int attempt, int limit, String reason) {
        String count = limit == SshTarget.UNLIMITED_DIALS ? String.valueOf(attempt) : attempt + "/" + limit;
        return "dial " + count + " to " + target.endpoint() + " failed: " + reason
                + "; retrying in " + Durations.human(target.dialRetryDelay());
    }
}
