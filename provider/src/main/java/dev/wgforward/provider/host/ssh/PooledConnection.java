package dev.wgforward.provider.host.ssh;

import net.schmizz.sshj.SSHClient;

/**
 * One authenticated SSH connection (an sshj client) in a {@link ConnectionPool}, possibly running
 * through a jump host's pooled connection ({@link #via}), which it holds a lease on while open.
 * Each script runs in a channel of its own, so several callers can use it at the same time.
 */
final class PooledConnection {
    private final ConnectionIdentity identity;
    private final SSHClient client;
    private final String hostKey;
    private final PooledConnection via;

    // Guarded by the pool.
    int leases;
    long idleSinceNanos;
    boolean closed;

    private volatile boolean broken;

    PooledConnection(ConnectionIdentity identity, SSHClient client, String hostKey, PooledConnection via) {
        this.identity = identity;
        this.client = client;
        this.hostKey = hostKey;
        this.via = via;
    }

    ConnectionIdentity identity() {
        return identity;
    }

    SSHClient client() {
        return client;
    }

    /** The key this hop presented (and the policy accepted), as {@code type base64}. */
    String hostKey() {
        return hostKey;
    }

    /** The jump host's connection this one runs through, or null. */
    PooledConnection via() {
        return via;
    }


    /**
     * Whether a caller with {@code policy} may use this connection: the key this host presented
     * when it was dialed is one the policy accepts, exactly as if the caller had dialed it.
     */
    boolean accepts(HostKeyPolicy policy) {
        return !(policy instanceof HostKeyPolicy.Pinned pinned) || pinned.keys().contains(hostKey);
    }

    /** Something went wrong on it (a script lost it): never hand it out again. */
    void markBroken() {
        broken = true;
    }

    /** Connected and authenticated, through a jump host that is too, and never seen failing. */
    boolean usable() {
        for (PooledConnection hop = this; hop != null; hop = hop.via) {
            if (hop.broken || !hop.client.isConnected() || !hop.client.isAuthenticated()
                    || !hop.client.getTransport().isRunning()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "PooledConnection[" + identity + (broken ? ", broken" : "") + "]";
    }
}
