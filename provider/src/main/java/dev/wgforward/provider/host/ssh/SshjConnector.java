package dev.wgforward.provider.host.ssh;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import javax.net.SocketFactory;

import net.schmizz.sshj.Config;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.common.SSHException;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyPairWrapper;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthKeyboardInteractive;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPassword;
import net.schmizz.sshj.userauth.method.AuthPublickey;
import net.schmizz.sshj.userauth.method.PasswordResponseProvider;
import net.schmizz.sshj.userauth.password.PasswordFinder;

/**
 * Opens sessions with sshj: dials each hop of the proxy chain with retries, checks its host key,
 * and authenticates with private key, then password, then ssh-agent.
 */
public final class SshjConnector implements SshConnector {

    // Keeps NAT and firewall state alive while a long script prints nothing.
    private static final int KEEPALIVE_INTERVAL_SECONDS = 30;

    // The host's answer to these will not change by waiting, so dialing again is pointless.
    private static final Set<DisconnectReason> PERMANENT_TRANSPORT_FAILURES = EnumSet.of(
            DisconnectReason.HOST_NOT_ALLOWED_TO_CONNECT,
            DisconnectReason.KEY_EXCHANGE_FAILED,
            DisconnectReason.PROTOCOL_VERSION_NOT_SUPPORTED,
            DisconnectReason.HOST_KEY_NOT_VERIFIABLE);
    private static final Set<DisconnectReason> AUTHENTICATION_FAILURES = EnumSet.of(
            DisconnectReason.NO_MORE_AUTH_METHODS_AVAILABLE,
            DisconnectReason.ILLEGAL_USER_NAME,
            DisconnectReason.AUTH_CANCELLED_BY_USER);

    // Reasons (see describe) that mean an established connection broke.
    private static final String CLOSED_BY_HOST = "the host closed the connection";
    private static final String RESET = "connection reset";

    private static final ScheduledThreadPoolExecutor DIAL_DEADLINES = newDeadlineExecutor();

    // sshj's configuration holds only algorithm factories; one instance serves every client. It
    // is made on the first dial, not with the connector: building it registers Bouncy Castle and
    // loads some 400 classes, which a plugin start (or a preview that dials nothing) never needs.
    private static final class SshjConfig {
        static final Config INSTANCE = new DefaultConfig();
    }

    private final Map<String, String> environment;
    private final ConnectionPool pool;

    /** A connector whose every session is a login of its own, closed with the session. */
    public SshjConnector() {
        this(System.getenv(), ConnectionPool.unshared());
    }

    /**
     * A connector for a whole plugin process: sessions with the same connection identity (every
     * hop's endpoint, user and credentials) and an acceptable host key share one login, jump
     * hosts included; a connection unused for {@code idleTimeout} is closed, and {@link #close()}
     * closes them all.
     */
    public static SshjConnector sharingConnections(Duration idleTimeout) {
        return new SshjConnector(System.getenv(), ConnectionPool.sharing(idleTimeout, DIAL_DEADLINES));
    }

    /** @param environment where SSH_AUTH_SOCK is looked up (a parameter for tests) */
    SshjConnector(Map<String, String> environment) {
        this(environment, ConnectionPool.unshared());
    }

    SshjConnector(Map<String, String> environment, ConnectionPool pool) {
        this.environment = Map.copyOf(environment);
        this.pool = pool;
    }

    /** For tests: a connector sharing connections, with its environment given. */
    static SshjConnector sharingConnections(Map<String, String> environment, Duration idleTimeout) {
        return new SshjConnector(environment, ConnectionPool.sharing(idleTimeout, DIAL_DEADLINES));
    }

    /** Connections currently open (leased or idle). */
    int openConnections() {
        return pool.openConnections();
    }

    /** Closes every connection, also those still leased. */
    @Override
    public void close() {
        pool.close();
    }

    @Override
    public HostSession open(SshTarget target, HostKeyPolicy hostKeyPolicy, DialListener listener, Redactor redactor) {
        return open(target, hostKeyPolicy, listener, redactor, CancelToken.NONE);
    }

    @Override
    public HostSession open(SshTarget target, HostKeyPolicy hostKeyPolicy, DialListener listener, Redactor redactor,
                            CancelToken cancel) {
        // Every caller's redactor learns the target's secrets, whether its connection is dialed now or shared.
        redactor.add(target.secrets().toArray(String[]::new));
        Chain chain = new Chain(target, listener, redactor, cancel);
        PooledConnection connection = chain.connect(chain.last(), hostKeyPolicy);
        return new SshjHostSession(target, connection, redactor, pool,
                presentedKey -> chain.connect(chain.last(), HostKeyPolicy.pinned(presentedKey)));
    }

    /**
     * One caller's way to its target: takes each hop's connection from the pool, or dials it (and
     * the jump hosts it needs) with the caller's listener, redactor and cancellation.
     */
    private final class Chain {
        private final SshTarget target;
        private final List<SshTarget> hops;
        private final List<ConnectionIdentity> identities = new ArrayList<>();
        private final DialListener listener;
        private final Redactor redactor;
        private final CancelToken cancel;
        private List<Credentials> credentials;

        Chain(SshTarget target, DialListener listener, Redactor redactor, CancelToken cancel) {
            this.target = target;
            this.hops = hopsOf(target);
            this.listener = listener;
            this.redactor = redactor;
            this.cancel = cancel;
            List<Optional<String>> agentSockets = hops.stream().map(SshjConnector.this::agentSocketFor).toList();
            for (int i = 0; i < hops.size(); i++) {
                identities.add(ConnectionIdentity.of(hops.subList(0, i + 1), agentSockets.subList(0, i + 1)));
            }
        }

        int last() {
            return hops.size() - 1;
        }

        /** A lease on the connection to hop {@code index}, through leases on the hops before it. */
        PooledConnection connect(int index, HostKeyPolicy policy) {
            SshTarget hop = hops.get(index);
            String label = describeHop(hop, target);
            ConnectionIdentity identity = identities.get(index);
            ReentrantLock lock = pool.shares() ? pool.lockIdentity(identity, cancel, label) : null;
            try {
                PooledConnection shared = pool.lease(identity, policy);
                if (shared != null) {
                    return shared;
                }
                pool.checkOpen(label);
                PooledConnection via = index == 0 ? null : connect(index - 1, HostKeyPolicy.forTarget(hops.get(index - 1)));
                Hop connected;
                try {
                    connected = dialWithRetries(new HopDial(hop, label, via == null ? null : via.client(), policy,
                            credentials().get(index), redactor, cancel), listener);
                } catch (RuntimeException e) {
                    if (via != null) {
                        pool.release(via);
                    }
                    throw e;
                }
                PooledConnection connection = new PooledConnection(identity, connected.client(), connected.hostKey(), via);
                pool.addLeased(connection, label);
                return connection;
            } finally {
                if (lock != null) {
                    lock.unlock();
                }
            }
        }

        /**
         * Credentials are checked for every hop before dialing anything: a key that does not
         * decrypt will not get better by waiting for the host.
         */
        private List<Credentials> credentials() {
            if (credentials == null) {
                List<Credentials> all = new ArrayList<>();
                for (SshTarget hop : hops) {
                    all.add(credentialsFor(hop, describeHop(hop, target), redactor));
                }
                credentials = all;
            }
            return credentials;
        }
    }

    /** First hop (the outermost jump host) first, the target last. */
    private static List<SshTarget> hopsOf(SshTarget target) {
        List<SshTarget> hops = new ArrayList<>();
        for (Optional<SshTarget> hop = Optional.of(target); hop.isPresent(); hop = hop.get().proxy()) {
            hops.add(0, hop.get());
        }
        return hops;
    }

    private static String describeHop(SshTarget hop, SshTarget target) {
        return hop == target ? target.label() : hop.label() + " (jump host for " + target.endpoint() + ")";
    }

    // ---------------------------------------------------------------- dialing

    private record HopDial(SshTarget hop, String label, SSHClient via, HostKeyPolicy policy,
                           Credentials credentials, Redactor redactor, CancelToken cancel) {}

    private record Hop(SSHClient client, String hostKey) {}

    /** A connection-level failure: another attempt may succeed. */
    private static final class RetryableDialFailure extends Exception {
        RetryableDialFailure(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    /** The caller's {@link CancelToken} ended an attempt in progress. */
    private static final class DialStopped extends Exception {
        DialStopped() {
            super(null, null, false, false);
        }
    }

    private Hop dialWithRetries(HopDial dial, DialListener listener) {
        SshTarget hop = dial.hop();
        String lastReason = null;
        for (int attempt = 1; ; attempt++) {
            if (dial.cancel().isStopped()) {
                throw stopped(dial, attempt - 1, lastReason);
            }
            try {
                return dialOnce(dial);
            } catch (DialStopped stoppedMidway) {
                throw stopped(dial, attempt - 1, lastReason);
            } catch (RetryableDialFailure failure) {
                String reason = dial.redactor().redact(failure.getMessage());
                if (hop.dialErrorLimit() != SshTarget.UNLIMITED_DIALS && attempt >= hop.dialErrorLimit()) {
                    throw new HostUnreachableException(dial.label(), attempt, reason, failure.getCause());
                }
                lastReason = reason;
                listener.onRetry(hop, attempt, hop.dialErrorLimit(), reason);
                if (!waitToRetry(dial)) {
                    throw stopped(dial, attempt, lastReason);
                }
            }
        }
    }

    /** "cancelled while dialing (3 failed attempts; last error: connection refused)". */
    private static HostOperationStoppedException stopped(HopDial dial, int failedAttempts, String lastReason) {
        CancelToken cancel = dial.cancel();
        String message = cancel.describeStop("dialing");
        if (failedAttempts > 0) {
            message += " (" + failedAttempts + (failedAttempts == 1 ? " failed attempt" : " failed attempts")
                    + "; last error: " + lastReason + ")";
        }
        return new HostOperationStoppedException(dial.label(), message, cancel.isCancelled());
    }

    /** @return false if the caller stopped us meanwhile */
    private static boolean waitToRetry(HopDial dial) {
        try {
            return dial.cancel().sleep(dial.hop().dialRetryDelay());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException(dial.label(), "interrupted while waiting to dial again");
        }
    }

    private Hop dialOnce(HopDial dial) throws RetryableDialFailure, DialStopped {
        SshTarget hop = dial.hop();
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, hop.perDialTimeout().toMillis());
        PolicyHostKeyVerifier verifier = new PolicyHostKeyVerifier(dial.policy());
        SSHClient client = new SSHClient(SshjConfig.INSTANCE);
        DialDeadline deadline = new DialDeadline(hop.perDialTimeout(), dial.cancel());
        try {
            client.addHostKeyVerifier(verifier);
            client.setConnectTimeout(timeoutMs);
            client.setSocketFactory(deadline.socketFactory());
            client.getTransport().setTimeoutMs(timeoutMs);
            client.getConnection().getKeepAlive().setKeepAliveInterval(KEEPALIVE_INTERVAL_SECONDS);
            deadline.guard(client);
            connect(dial, client, verifier, deadline);
            authenticate(dial, client, deadline);
            if (!deadline.finish()) {
                throw new RetryableDialFailure(timedOut(hop), null);
            }
            return new Hop(client, verifier.presentedKey());
        } catch (RetryableDialFailure | RuntimeException e) {
            // Also closes the tunnel, which would otherwise stay open on the jump host.
            deadline.abandon();
            if (deadline.stopped()) {
                // Whatever the attempt ran into, it was our own closing of its socket.
                throw new DialStopped();
            }
            throw e;
        }
    }

    private void connect(HopDial dial, SSHClient client, PolicyHostKeyVerifier verifier, DialDeadline deadline)
            throws RetryableDialFailure {
        SshTarget hop = dial.hop();
        try {
            if (dial.via() == null) {
                client.connect(hop.host(), hop.port());
            } else {
                DirectConnection tunnel = dial.via().newDirectConnection(hop.host(), hop.port());
                deadline.guard(tunnel);
                client.connectVia(tunnel);
            }
        } catch (IOException | RuntimeException e) {
            if (verifier.rejected()) {
                if (verifier.presentedKey() == null) {
                    throw new HostException(dial.label(), "the host presented a host key of an unsupported type", e);
                }
                throw new HostKeyMismatchException(dial.label(), verifier.expectedKeys(), verifier.presentedKey());
            }
            if (deadline.expired()) {
                throw new RetryableDialFailure(timedOut(hop), e);
            }
            if (e instanceof OpenFailException open
                    && open.getReason() == OpenFailException.Reason.ADMINISTRATIVELY_PROHIBITED) {
                throw new HostException(dial.label(), "the jump host refused to forward the connection"
                        + " (does it allow TCP forwarding, e.g. AllowTcpForwarding in sshd_config?): "
                        + dial.redactor().redact(String.valueOf(open.getMessage())), e);
            }
            DisconnectReason reason = disconnectReason(e);
            if (PERMANENT_TRANSPORT_FAILURES.contains(reason)) {
                throw new HostException(dial.label(), "SSH connection failed: "
                        + dial.redactor().redact(describe(e, hop)), e);
            }
            String why = describe(e, hop);
            if (why.equals(CLOSED_BY_HOST) || why.equals(RESET)) {
                // A host that has just booted, or whose sshd limits unauthenticated
                // connections (MaxStartups), hangs up before greeting us.
                why = "connection lost " + (greeted(client) ? "during key exchange" : "before the host's SSH greeting")
                        + ": " + why;
            }
            throw new RetryableDialFailure(why, e);
        }
    }

    /** Whether the host sent its identification ("SSH-2.0-...") before the connection broke. */
    private static boolean greeted(SSHClient client) {
        try {
            return client.getTransport().getServerVersion() != null;
        } catch (RuntimeException e) {
            return false; // sshj 0.40 fails on the empty identification a hang-up leaves behind
        }
    }

    // ---------------------------------------------------------------- authentication

    /** What a hop may authenticate with, resolved (and the key decrypted) before dialing. */
    private record Credentials(Optional<KeyProvider> key, Optional<String> password, Optional<Path> agentSocket) {}

    private Credentials credentialsFor(SshTarget hop, String label, Redactor redactor) {
        Optional<KeyProvider> key = hop.privateKey().map(pem -> loadKey(pem, hop, label, redactor));
        Optional<String> agentSocket = agentSocketFor(hop);
        if (key.isEmpty() && hop.password().isEmpty() && agentSocket.isEmpty()) {
            throw new HostAuthenticationException(label, "no credentials: set privateKey, password or"
                    + " agentSocketPath (SSH_AUTH_SOCK is not set either)", List.of());
        }
        return new Credentials(key, hop.password(), agentSocket.map(Path::of));
    }

    /**
     * The agent is a fallback: with an explicit key or password, a stray SSH_AUTH_SOCK in the
     * provider's environment must not make it try (and log in with) unrelated keys.
     */
    private Optional<String> agentSocketFor(SshTarget hop) {
        return hop.agentSocketPath().or(() -> hop.privateKey().isEmpty() && hop.password().isEmpty()
                ? Optional.ofNullable(environment.get("SSH_AUTH_SOCK")).filter(s -> !s.isBlank())
                : Optional.empty());
    }

    private KeyProvider loadKey(String privateKey, SshTarget hop, String label, Redactor redactor) {
        try {
            // Decrypting now turns a wrong passphrase into a clear error instead of a failed login.
            return new KeyPairWrapper(PrivateKeys.read(privateKey, hop.privateKeyPassword()));
        } catch (PrivateKeys.UnreadableKeyException e) {
            throw new HostAuthenticationException(label, "privateKey " + redactor.redact(e.getMessage()), List.of());
        }
    }

    private void authenticate(HopDial dial, SSHClient client, DialDeadline deadline) throws RetryableDialFailure {
        SshTarget hop = dial.hop();
        Credentials credentials = dial.credentials();
        List<String> tried = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try {
            if (credentials.key().isPresent() && attempt(client, hop, new AuthPublickey(credentials.key().get()),
                    "publickey (privateKey)", tried, problems)) {
                return;
            }
            if (credentials.password().isPresent()) {
                PasswordFinder finder = PrivateKeys.passwordFinder(credentials.password().get());
                if (attempt(client, hop, new AuthPassword(finder), "password", tried, problems)
                        || attempt(client, hop, new AuthKeyboardInteractive(new PasswordResponseProvider(finder)),
                                "keyboard-interactive", tried, problems)) {
                    return;
                }
            }
            if (credentials.agentSocket().isPresent()
                    && authenticateWithAgent(client, hop, credentials.agentSocket().get(), deadline, tried, problems)) {
                return;
            }
        } catch (IOException | RuntimeException e) {
            if (deadline.expired()) {
                throw new RetryableDialFailure(timedOut(hop), e);
            }
            // Only a host that says no is final; a connection that merely broke (a reboot, a
            // NAT losing state) is a failed dial like a refused one, however far login got.
            if (!hostEndedLoginAsRejected(e)) {
                throw new RetryableDialFailure("connection lost during authentication: " + describe(e, hop), e);
            }
            problems.add("the host ended the connection: " + describe(e, hop));
        }
        if (deadline.expired()) {
            throw new RetryableDialFailure(timedOut(hop), null); // a hung agent, say: not a rejection
        }
        throw authenticationFailure(dial, client, tried, problems);
    }

    /** @return true once authenticated; a rejection is recorded, anything else propagates */
    private static boolean attempt(SSHClient client, SshTarget hop, AuthMethod method, String name,
                                   List<String> tried, List<String> problems) throws IOException {
        Collection<String> allowed = client.getUserAuth().getAllowedMethods();
        // After a first rejection the host has said which methods it takes; offering others
        // would only use up its few allowed attempts (OpenSSH: MaxAuthTries 6).
        if (allowed != null && !allowed.isEmpty() && !allowed.contains(method.getName())) {
            return false;
        }
        tried.add(name);
        try {
            client.auth(hop.user(), method);
            return true;
        } catch (UserAuthException rejected) {
            // sshj reports a connection that died while waiting for the host's answer as a
            // failed method; the transport's exception in the causes tells it apart.
            if (causedByTransport(rejected)) {
                throw rejected;
            }
            // sshj wraps whatever went wrong locally (an agent that would not sign, say) in a
            // generic "exhausted" exception; a plain rejection has no cause.
            if (rejected.getCause() != null && rejected.getCause().getMessage() != null) {
                problems.add(name + ": " + rejected.getCause().getMessage());
            }
            return false;
        }
    }

    private static boolean authenticateWithAgent(SSHClient client, SshTarget hop, Path socket, DialDeadline deadline,
                                                 List<String> tried, List<String> problems) throws IOException {
        try (SshAgentClient agent = SshAgentClient.connect(socket)) {
            // Unix socket channels have no read timeout; the deadline closes a hung agent.
            deadline.guard(agent);
            List<SshAgentClient.Identity> identities = agent.identities();
            if (identities.isEmpty()) {
                problems.add("the ssh-agent at " + socket + " holds no keys");
            }
            for (SshAgentClient.Identity identity : identities) {
                if (identity.keyType() == null) {
                    continue; // malformed blob: nothing sensible to offer
                }
                AgentPublickeyAuth method = new AgentPublickeyAuth(agent, identity);
                if (attempt(client, hop, method, "publickey (ssh-agent: " + method.describeKey() + ")", tried, problems)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            if (e instanceof SSHException) {
                throw e; // the SSH connection failed, not the agent
            }
            problems.add("the ssh-agent at " + socket + " could not be used: " + e.getMessage());
            return false;
        }
    }

    private static HostAuthenticationException authenticationFailure(HopDial dial, SSHClient client,
                                                                     List<String> tried, List<String> problems) {
        StringBuilder message = new StringBuilder("authentication as '").append(dial.hop().user()).append("' failed");
        message.append(tried.isEmpty() ? "; no method was tried" : "; tried " + String.join(", ", tried));
        Collection<String> allowed = client.getUserAuth().getAllowedMethods();
        if (allowed != null && !allowed.isEmpty()) {
            message.append("; the host accepts ").append(String.join(", ", allowed));
        }
        for (String problem : problems) {
            message.append("; ").append(problem);
        }
        return new HostAuthenticationException(dial.label(), dial.redactor().redact(message.toString()), tried);
    }

    // ---------------------------------------------------------------- failure descriptions

    private static boolean causedByTransport(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TransportException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A disconnect that is the host's answer to our credentials. OpenSSH ends a login after
     * MaxAuthTries rejections with "Too many authentication failures" (as a protocol error).
     */
    private static boolean hostEndedLoginAsRejected(Throwable e) {
        if (AUTHENTICATION_FAILURES.contains(disconnectReason(e))) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (mentions(t, "Too many authentication failures")) {
                return true;
            }
        }
        return false;
    }

    private static DisconnectReason disconnectReason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSHException ssh && ssh.getDisconnectReason() != DisconnectReason.UNKNOWN) {
                return ssh.getDisconnectReason();
            }
        }
        return DisconnectReason.UNKNOWN;
    }

    /** A short, lower-case reason for messages such as "dial 3/10 ... failed: connection refused". */
    static String describe(Throwable e, SshTarget hop) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to host";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + hop.host();
            }
            if (t instanceof SocketTimeoutException) {
                return timedOut(hop);
            }
            if (t instanceof OpenFailException open) {
                return "the jump host could not connect to " + hop.host() + ":" + hop.port()
                        + (open.getMessage() == null || open.getMessage().isBlank() ? "" : " (" + open.getMessage() + ")");
            }
            if (t instanceof EOFException || mentions(t, "EOF") || mentions(t, "closed connection")) {
                return CLOSED_BY_HOST;
            }
            // The same end seen from the other side of a race: sshj's reader saw the host hang up
            // and marked the transport closed before our next write, which then fails with this.
            if (t instanceof IllegalStateException && "Not connected".equals(t.getMessage())) {
                return CLOSED_BY_HOST;
            }
            if (t instanceof SocketException && mentions(t, "reset")) {
                return RESET;
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        DisconnectReason reason = disconnectReason(e);
        return reason == DisconnectReason.UNKNOWN ? message : message + " (" + reason.name().toLowerCase(Locale.ROOT) + ")";
    }

    private static boolean mentions(Throwable t, String text) {
        return t.getMessage() != null && t.getMessage().contains(text);
    }

    private static String timedOut(SshTarget hop) {
        return "timed out after " + Durations.human(hop.perDialTimeout());
    }

    // ---------------------------------------------------------------- per-dial deadline

    private static ScheduledThreadPoolExecutor newDeadlineExecutor() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "wgforward-ssh-dial-deadline");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /**
     * Bounds one whole dial attempt (TCP connect, identification, key exchange, authentication)
     * by closing everything it guards when time is up, or when the caller's {@link CancelToken}
     * stops it. sshj's own timeouts do not cover the identification exchange, where a
     * half-started sshd can leave us waiting forever; a socket read timeout would, but would
     * then also kill idle sessions later.
     */
    private static final class DialDeadline {
        private final List<AutoCloseable> guarded = new CopyOnWriteArrayList<>();
        private final AtomicBoolean settled = new AtomicBoolean();
        private volatile boolean expired;
        private volatile boolean stopped;
        private final ScheduledFuture<?> expiry;
        private final ScheduledFuture<?> watch;

        DialDeadline(Duration timeout, CancelToken cancel) {
            expiry = DIAL_DEADLINES.schedule(this::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
            long poll = CancelToken.POLL_INTERVAL.toNanos();
            watch = cancel == CancelToken.NONE ? null : DIAL_DEADLINES.scheduleWithFixedDelay(() -> {
                if (cancel.isStopped()) {
                    stop();
                }
            }, poll, poll, TimeUnit.NANOSECONDS);
        }

        private void expire() {
            if (settled.compareAndSet(false, true)) {
                expired = true;
                guarded.forEach(SshjHostSession::closeQuietly);
            }
        }

        private void stop() {
            if (settled.compareAndSet(false, true)) {
                stopped = true;
                guarded.forEach(SshjHostSession::closeQuietly);
            }
        }

        void guard(AutoCloseable resource) {
            guarded.add(resource);
            if (expired || stopped) {
                SshjHostSession.closeQuietly(resource);
            }
        }

        boolean expired() {
            return expired;
        }

        /** The caller's token ended the attempt (and closed everything). */
        boolean stopped() {
            return stopped;
        }

        /** Stops the clock; false if it had already run out or been stopped (and closed everything). */
        boolean finish() {
            expiry.cancel(false);
            if (watch != null) {
                watch.cancel(false);
            }
            return settled.compareAndSet(false, true) || !(expired || stopped);
        }

        /** Stops the clock and closes everything guarded: the attempt failed. */
        void abandon() {
            finish();
            guarded.forEach(SshjHostSession::closeQuietly);
        }

        /** Registers each socket as soon as it exists, so even a connect in progress is bounded. */
        SocketFactory socketFactory() {
            return new SocketFactory() {
                @Override
                public Socket createSocket() {
                    Socket socket = new Socket();
                    guard(socket);
                    return socket;
                }

                @Override
                public Socket createSocket(String host, int port) {
                    throw new UnsupportedOperationException("sshj creates unconnected sockets");
                }

                @Override
                public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
                    throw new UnsupportedOperationException("sshj creates unconnected sockets");
                }

                @Override
                public Socket createSocket(InetAddress host, int port) {
                    throw new UnsupportedOperationException("sshj creates unconnected sockets");
                }

                @Override
                public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
                    throw new UnsupportedOperationException("sshj creates unconnected sockets");
                }
            };
        }
    }
}
