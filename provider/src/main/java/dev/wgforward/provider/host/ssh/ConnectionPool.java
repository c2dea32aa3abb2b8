package dev.wgforward.provider.host.ssh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The authenticated connections of one plugin process, so that the resources of one engine run
 * log in to each host once: a connection is leased by every caller with the same {@link
 * ConnectionIdentity} whose host-key policy accepts the key the host presented, and each of them
 * runs its scripts in channels of its own on it. The caller's redactor, listener and cancellation
 * stay the caller's (see {@link SshjHostSession}); only the connection is shared.
 *
 * <p>A connection seen failing, or no longer connected, is evicted and closed; the next caller
 * dials a new one. One that no caller has leased for {@code idleTimeout} is closed, and {@link
 * #close()} closes all (the plugin's exit).
 *
 * <p>A pool that does not {@code share} hands out each connection once and closes it when its
 * lease ends: one login per session, as without a pool.
 */
final class ConnectionPool implements AutoCloseable {
    private final boolean share;
    private final Duration idleTimeout;
    private final ScheduledExecutorService scheduler;

    // One lock per identity: callers of the same identity wait for one dial instead of dialing side by side.
    private final Map<ConnectionIdentity, ReentrantLock> dialLocks = new ConcurrentHashMap<>();
    // Guarded by this.
    private final Map<ConnectionIdentity, List<PooledConnection>> open = new HashMap<>();
    private ScheduledFuture<?> reaper;
    private boolean closed;

    private ConnectionPool(boolean share, Duration idleTimeout, ScheduledExecutorService scheduler) {
        this.share = share;
        this.idleTimeout = idleTimeout;
        this.scheduler = scheduler;
    }

    /** Shares connections; closes those unused for {@code idleTimeout} (checked on {@code scheduler}). */
    static ConnectionPool sharing(Duration idleTimeout, ScheduledExecutorService scheduler) {
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
        return new ConnectionPool(true, idleTimeout, scheduler);
    }

    /** One connection per lease, closed with it. */
    static ConnectionPool unshared() {
        return new ConnectionPool(false, Duration.ZERO, null);
    }

    boolean shares() {
        return share;
    }

    /**
     * Holds the dial lock of {@code identity} (waiting as long as {@code cancel} allows), so that
     * a caller looks for a connection and, finding none, dials it before anyone else looks.
     *
     * @throws HostOperationStoppedException when {@code cancel} stops the wait
     */
    ReentrantLock lockIdentity(ConnectionIdentity identity, CancelToken cancel, String label) {
        ReentrantLock lock = dialLocks.computeIfAbsent(identity, i -> new ReentrantLock());
        try {
            while (!lock.tryLock(CancelToken.POLL_INTERVAL.toNanos(), TimeUnit.NANOSECONDS)) {
                if (cancel.isStopped()) {
                    throw new HostOperationStoppedException(label,
                            cancel.describeStop("waiting for another dial to this host"), cancel.isCancelled());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException(label, "interrupted while waiting for another dial to this host");
        }
        return lock;
    }

    /**
     * A lease on an open, usable connection of {@code identity} whose host key {@code policy}
     * accepts, or null. Connections found unusable on the way are evicted.
     */
    PooledConnection lease(ConnectionIdentity identity, HostKeyPolicy policy) {
        if (!share) {
            return null;
        }
        List<PooledConnection> evicted = new ArrayList<>();
        PooledConnection found = null;
        synchronized (this) {
            List<PooledConnection> candidates = open.getOrDefault(identity, List.of());
            for (Iterator<PooledConnection> it = candidates.iterator(); it.hasNext(); ) {
                PooledConnection candidate = it.next();
                if (!candidate.usable()) {
                    it.remove();
                    evicted.add(candidate);
                } else if (found == null && candidate.accepts(policy)) {
                    found = candidate;
                }
            }
            if (found != null) {
                found.leases++;
            }
        }
        evicted.forEach(this::closeConnection);
        return found;
    }

    /** @throws HostException once the pool is closed: the plugin is exiting, nothing more is dialed */
    void checkOpen(String label) {
        synchronized (this) {
            if (!closed) {
                return;
            }
        }
        throw new HostException(label, "the plugin is exiting: no new SSH connections");
    }

    /** Adds a connection just dialed, leased once to its dialer. */
    void addLeased(PooledConnection connection, String label) {
        boolean refuse;
        synchronized (this) {
            refuse = closed;
            if (!refuse) {
                connection.leases = 1;
                open.computeIfAbsent(connection.identity(), i -> new ArrayList<>()).add(connection);
                if (share && reaper == null) {
                    long period = Math.max(TimeUnit.SECONDS.toNanos(1), idleTimeout.toNanos() / 2);
                    reaper = scheduler.scheduleWithFixedDelay(this::closeIdle, period, period, TimeUnit.NANOSECONDS);
                }
            }
        }
        if (refuse) {
            closeConnection(connection);
            throw new HostException(label, "the plugin is exiting: no new SSH connections");
        }
    }

    /** Ends one lease. Unshared, or found broken, the connection is closed once nobody leases it. */
    void release(PooledConnection connection) {
        boolean close = false;
        synchronized (this) {
            if (connection.leases > 0) {
                connection.leases--;
            }
            if (connection.leases == 0) {
                connection.idleSinceNanos = System.nanoTime();
                if (!share || closed || !connection.usable()) {
                    remove(connection);
                    close = true;
                }
            }
        }
        if (close) {
            closeConnection(connection);
        }
    }

    /**
     * Takes a connection seen failing out of the pool at once and closes it: its other users'
     * scripts, if any, were on a broken connection anyway.
     */
    void evict(PooledConnection connection) {
        connection.markBroken();
        synchronized (this) {
            remove(connection);
        }
        closeConnection(connection);
    }

    /** Connections currently open (leased or idle), for tests. */
    synchronized int openConnections() {
        return open.values().stream().mapToInt(List::size).sum();
    }

    private void closeIdle() {
        List<PooledConnection> idle = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (this) {
            for (List<PooledConnection> connections : open.values()) {
                for (PooledConnection c : connections) {
                    if (c.leases == 0 && (now - c.idleSinceNanos >= idleTimeout.toNanos() || !c.usable())) {
                        idle.add(c);
                    }
                }
            }
            idle.forEach(this::remove);
        }
        // Innermost first: closing one ends its lease on its jump host's connection.
        idle.sort(Comparator.comparingInt((PooledConnection c) -> c.identity().hops().size()).reversed());
        idle.forEach(this::closeConnection);
    }

    // Guarded by this.
    private void remove(PooledConnection connection) {
        List<PooledConnection> connections = open.get(connection.identity());
        if (connections != null) {
            connections.remove(connection);
            if (connections.isEmpty()) {
                open.remove(connection.identity());
            }
        }
    }

    /** Closes the connection (once) and ends its lease on its jump host's connection. */
    private void closeConnection(PooledConnection connection) {
        synchronized (this) {
            if (connection.closed) {
                return;
            }
            connection.closed = true;
        }
        SshjHostSession.closeQuietly(connection.client());
        if (connection.via() != null) {
            release(connection.via());
        }
    }

    /** Closes every connection, leased or not, innermost first; later dials are refused. Idempotent. */
    @Override
    public void close() {
        List<PooledConnection> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            if (reaper != null) {
                reaper.cancel(false);
            }
            for (List<PooledConnection> connections : open.values()) {
                all.addAll(connections);
            }
            open.clear();
        }
        if (all.isEmpty()) {
            return; // a preview's plugin dialed nothing: its exit stays as quick as it was
        }
        all.sort(Comparator.comparingInt((PooledConnection c) -> c.identity().hops().size()).reversed());
        all.forEach(this::closeConnection);
    }
}
