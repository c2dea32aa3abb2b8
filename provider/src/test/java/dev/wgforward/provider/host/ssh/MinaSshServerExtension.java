package dev.wgforward.provider.host.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.UserAuthFactory;
import org.apache.sshd.server.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.server.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.forward.StaticDecisionForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An in-process Apache MINA SSH server on 127.0.0.1 for tests. Exec requests really run, as
 * {@code sh -c <command line>} on this machine with the channel wired to the process's stdin,
 * stdout and stderr, so {@code sh -s} with a script on stdin behaves as on a real host.
 *
 * <p>Every command line is recorded (a test can assert that no secret was ever on one), as are
 * password attempts and the destinations of direct-tcpip forwards (jump host use). Stub
 * executables (a fake {@code sudo}, say) can be put first on the commands' PATH.
 *
 * <p>Register with {@code @RegisterExtension}: as a static field the server lives for the
 * class, as an instance field for one test; recordings are cleared before each test. It can
 * also be driven by hand with {@link #start()} and {@link #close()}.
 */
public final class MinaSshServerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, AutoCloseable {

    public static final String HOST = "127.0.0.1";

    private final Builder config;
    private final KeyPair hostKeyPair;
    private final List<String> commandLines = new CopyOnWriteArrayList<>();
    private final List<String> forwardedTo = new CopyOnWriteArrayList<>();
    private final AtomicInteger passwordAttempts = new AtomicInteger();
    private final AtomicInteger droppedConnections = new AtomicInteger();
    private final AtomicInteger logins = new AtomicInteger();
    private final Path stubDir;
    private SshServer server;
    private boolean startedForOneTest;

    private MinaSshServerExtension(Builder config) {
        this.config = config;
        try {
            this.hostKeyPair = generateHostKey();
            this.stubDir = Files.createTempDirectory("mina-ssh-stubs");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** MINA 2.14 needs net.i2p eddsa for ed25519; from 2.15 Bouncy Castle (already here) will do. */
    public static boolean ed25519Supported() {
        return SecurityUtils.isEDDSACurveSupported();
    }

    private static KeyPair generateHostKey() throws GeneralSecurityException {
        return ed25519Supported()
                ? KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256)
                : KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    }

    // ------------------------------------------------------------ lifecycle

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        if (server == null) {
            start();
            startedForOneTest = true;
        }
        clearRecords();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (startedForOneTest) {
            close();
        }
    }

    public synchronized MinaSshServerExtension start() throws IOException {
        if (server != null) {
            return this;
        }
        config.stubs.forEach(this::installStub);
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost(config.host);
        sshd.setPort(config.port);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKeyPair));
        sshd.setPasswordAuthenticator((user, password, session) -> {
            if (dropsDuring(LoginPhase.AUTHENTICATION, session)) {
                return false;
            }
            passwordAttempts.incrementAndGet();
            return password.equals(config.passwords.get(user));
        });
        sshd.setPublickeyAuthenticator((user, key, session) ->
                !dropsDuring(LoginPhase.AUTHENTICATION, session) && isAuthorized(key));
        sshd.addSessionListener(new SessionListener() {
            @Override
            public void sessionEvent(Session session, Event event) {
                if (event == Event.Authenticated) {
                    logins.incrementAndGet();
                }
            }

            @Override
            public void sessionNegotiationStart(Session session, Map<KexProposalOption, String> clientProposal,
                                                Map<KexProposalOption, String> serverProposal) {
                dropsDuring(LoginPhase.KEY_EXCHANGE, session);
            }
        });
        sshd.setUserAuthFactories(userAuthFactories());
        if (config.windowSize > 0) {
            CoreModuleProperties.WINDOW_SIZE.set(sshd, config.windowSize);
        }
        sshd.setCommandFactory((channel, commandLine) -> {
            commandLines.add(commandLine);
            return new ProcessCommand(commandLine, stubDir, config.stdinReadDelay);
        });
        if (config.jumpHost) {
            sshd.setForwardingFilter(new StaticDecisionForwardingFilter(true) {
                @Override
                public boolean canConnect(TcpForwardingFilter.Type type, SshdSocketAddress address, Session session) {
                    forwardedTo.add(address.getHostName() + ":" + address.getPort());
                    return type == TcpForwardingFilter.Type.Direct;
                }
            });
        }
        sshd.start();
        server = sshd;
        return this;
    }

    private List<UserAuthFactory> userAuthFactories() {
        List<UserAuthFactory> factories = new ArrayList<>();
        if (config.publicKeyAuth) {
            factories.add(config.rsaSha1Accepted
                    ? UserAuthPublicKeyFactory.INSTANCE
                    : new UserAuthPublicKeyFactory(signaturesWithoutSha1()));
        }
        if (config.passwordAuth) {
            factories.add(UserAuthPasswordFactory.INSTANCE);
        }
        if (config.keyboardInteractiveAuth) {
            factories.add(UserAuthKeyboardInteractiveFactory.INSTANCE);
        }
        return factories;
    }

    /** Like a current OpenSSH: RSA keys must sign with SHA-2, DSA ("ssh-dss", deprecated in MINA too) is gone. */
    private static List<NamedFactory<Signature>> signaturesWithoutSha1() {
        List<NamedFactory<Signature>> signatures = new ArrayList<>();
        for (BuiltinSignatures signature : BuiltinSignatures.VALUES) {
            if (signature.isSupported() && signature != BuiltinSignatures.rsa && !"ssh-dss".equals(signature.getName())) {
                signatures.add(signature);
            }
        }
        return signatures;
    }

    /**
     * Cuts the TCP connection, without an SSH disconnect message, while one of the next
     * {@code dropConnections} logins is in {@code phase}: like a host rebooting or a NAT
     * dropping state.
     */
    private boolean dropsDuring(LoginPhase phase, Session session) {
        if (config.dropPhase != phase || droppedConnections.getAndUpdate(n -> n < config.dropTimes ? n + 1 : n)
                >= config.dropTimes) {
            return false;
        }
        session.getIoSession().close(true);
        return true;
    }

    private boolean isAuthorized(PublicKey offered) {
        String offeredBase64 = PublicKeyEntry.toString(offered).split(" ")[1];
        return config.authorizedKeys.stream().anyMatch(line -> line.split("\\s+")[1].equals(offeredBase64));
    }

    @Override
    public synchronized void close() {
        startedForOneTest = false;
        if (server != null) {
            try {
                server.stop(true);
            } catch (IOException ignored) {
                // Stopping is best effort in tests.
            }
            server = null;
        }
        removeAllStubs();
        try {
            Files.deleteIfExists(stubDir);
        } catch (IOException ignored) {
            // A temp directory left behind is harmless.
        }
    }

    // ------------------------------------------------------------ what tests use

    public int port() {
        if (server == null) {
            throw new IllegalStateException("the server is not running");
        }
        return server.getPort();
    }

    /** The server's public host key as {@code type base64}. */
    public String hostKey() {
        return PublicKeyEntry.toString(hostKeyPair.getPublic());
    }

    /** A target for this server with quick dial settings; add credentials and a host key. */
    public SshTarget.Builder target(String user) {
        return SshTarget.builder(config.host).port(port()).user(user)
                .dialErrorLimit(2)
                .dialRetryDelay(Duration.ofMillis(50))
                .perDialTimeout(Duration.ofSeconds(5));
    }

    /** Every exec command line received, in order. */
    public List<String> commandLines() {
        return List.copyOf(commandLines);
    }

    /** Destinations ({@code host:port}) of the direct-tcpip forwards this jump host opened. */
    public List<String> forwardedTo() {
        return List.copyOf(forwardedTo);
    }

    /** SSH connections currently open to this server. */
    public int activeSessions() {
        return server == null ? 0 : server.getActiveSessions().size();
    }

    /** Successful logins (authenticated connections) since the last {@link #clearRecords()}, as sshd logs "Accepted". */
    public int logins() {
        return logins.get();
    }

    /**
     * Cuts every open connection at once, without an SSH disconnect message: as when the host's
     * sshd processes are killed. Returns how many there were.
     */
    public int killConnections() {
        List<org.apache.sshd.common.session.Session> sessions = new ArrayList<>(server.getActiveSessions());
        sessions.forEach(session -> session.getIoSession().close(true));
        return sessions.size();
    }

    /** Logins cut off so far by {@link Builder#dropConnections}. */
    public int droppedConnections() {
        return droppedConnections.get();
    }

    /** Password checks, by the password and the keyboard-interactive method alike. */
    public int passwordAttempts() {
        return passwordAttempts.get();
    }

    public void clearRecords() {
        commandLines.clear();
        forwardedTo.clear();
        passwordAttempts.set(0);
        logins.set(0);
    }

    /** Puts an executable sh script named {@code name} first on the PATH of every command. */
    public void installStub(String name, String script) {
        try {
            Files.createDirectories(stubDir); // again after a close()
            Path stub = stubDir.resolve(name);
            Files.writeString(stub, script, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void removeStub(String name) {
        try {
            Files.deleteIfExists(stubDir.resolve(name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void removeAllStubs() {
        if (!Files.isDirectory(stubDir)) {
            return;
        }
        try (Stream<Path> stubs = Files.list(stubDir)) {
            stubs.forEach(stub -> stub.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------ configuration

    /** Where {@link Builder#dropConnections} cuts a login off. */
    public enum LoginPhase {
        /** After the client's KEXINIT: before any host key or credential was exchanged. */
        KEY_EXCHANGE,
        /** On the client's first authentication request (any method), before the answer. */
        AUTHENTICATION
    }

    public static final class Builder {
        private String host = HOST;
        private int port;
        private final Map<String, String> passwords = new HashMap<>();
        private final List<String> authorizedKeys = new ArrayList<>();
        private final Map<String, String> stubs = new HashMap<>();
        private boolean publicKeyAuth = true;
        private boolean passwordAuth = true;
        private boolean keyboardInteractiveAuth = true;
        private boolean rsaSha1Accepted = true;
        private boolean jumpHost;
        private long windowSize;
        private Duration stdinReadDelay = Duration.ZERO;
        private LoginPhase dropPhase;
        private int dropTimes;

        /** The address to listen on instead of 127.0.0.1, e.g. {@code ::1} (a host reached over IPv6). */
        public Builder host(String address) {
            this.host = address;
            return this;
        }

        /** A fixed port instead of an ephemeral one (to start a server late on a known port). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder password(String user, String password) {
            passwords.put(user, password);
            return this;
        }

        /** Accepts this public key (authorized_keys line) for every user. */
        public Builder authorizedKey(String publicKeyLine) {
            authorizedKeys.add(publicKeyLine);
            return this;
        }

        public Builder publicKeyAuth(boolean enabled) {
            publicKeyAuth = enabled;
            return this;
        }

        public Builder passwordAuth(boolean enabled) {
            passwordAuth = enabled;
            return this;
        }

        public Builder keyboardInteractiveAuth(boolean enabled) {
            keyboardInteractiveAuth = enabled;
            return this;
        }

        /** Refuse "ssh-rsa" (SHA-1) signatures from clients, as OpenSSH 8.8+ does. */
        public Builder refuseRsaSha1() {
            rsaSha1Accepted = false;
            return this;
        }

        /** Allow direct-tcpip forwarding, so clients can jump through this server. */
        public Builder jumpHost() {
            jumpHost = true;
            return this;
        }

        /** The receive window of each channel, in bytes (MINA's default: 2 MiB). */
        public Builder windowSize(long bytes) {
            windowSize = bytes;
            return this;
        }

        /**
         * A host slow to read a command's stdin (busy, swapping): nothing is read from the
         * channel for this long, so the client soon faces a closed receive window.
         */
        public Builder stdinReadDelay(Duration delay) {
            stdinReadDelay = delay;
            return this;
        }

        /** Closes the TCP connection of the first {@code times} logins during {@code phase}. */
        public Builder dropConnections(LoginPhase phase, int times) {
            dropPhase = phase;
            dropTimes = times;
            return this;
        }

        public Builder stub(String name, String script) {
            stubs.put(name, script);
            return this;
        }

        public MinaSshServerExtension build() {
            return new MinaSshServerExtension(this);
        }
    }

    // ------------------------------------------------------------ exec

    /** Runs one exec request as a local {@code sh -c} process wired to the channel. */
    private static final class ProcessCommand implements Command {
        private final String commandLine;
        private final Path stubDir;
        private final Duration stdinReadDelay;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exitCallback;
        private Process process;

        ProcessCommand(String commandLine, Path stubDir, Duration stdinReadDelay) {
            this.commandLine = commandLine;
            this.stubDir = stubDir;
            this.stdinReadDelay = stdinReadDelay;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exitCallback = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            ProcessBuilder builder = new ProcessBuilder("sh", "-c", commandLine);
            builder.environment().put("PATH", stubDir + ":" + System.getenv("PATH"));
            process = builder.start();
            daemon("stdin", () -> {
                try (OutputStream processIn = process.getOutputStream()) {
                    Thread.sleep(stdinReadDelay.toMillis());
                    in.transferTo(processIn);
                } catch (IOException ignored) {
                    // The process stopped reading; its exit status tells the story.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Thread stdout = daemon("stdout", () -> pump(process.getInputStream(), out));
            Thread stderr = daemon("stderr", () -> pump(process.getErrorStream(), err));
            daemon("exit", () -> {
                try {
                    int code = process.waitFor();
                    stdout.join();
                    stderr.join();
                    exitCallback.onExit(code);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        private static void pump(InputStream from, OutputStream to) {
            byte[] buffer = new byte[8192];
            try (from) {
                for (int n; (n = from.read(buffer)) >= 0; ) {
                    to.write(buffer, 0, n);
                    to.flush();
                }
            } catch (IOException ignored) {
                // The channel went away; nothing left to deliver to.
            }
        }

        private Thread daemon(String name, Runnable body) {
            Thread thread = new Thread(body, "mina-exec-" + name);
            thread.setDaemon(true);
            thread.start();
            return thread;
        }

        @Override
        public void destroy(ChannelSession channel) {
            if (process != null) {
                process.destroyForcibly();
            }
        }
    }
}
