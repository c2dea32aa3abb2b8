package dev.wgforward.provider.host.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Authentication through a real OpenSSH ssh-agent, spawned for this class. */
class AgentAuthenticationTest {
    private static final Path DIR = createTempDir();
    // Offered first and refused: proves the client moves on to the next identity.
    private static final TestKeys.KeyFiles UNAUTHORIZED = TestKeys.generate(DIR, "unauthorized", "ecdsa", "", false);
    private static final TestKeys.KeyFiles RSA = TestKeys.generate(DIR, "rsa", "rsa", "", false);
    private static final TestKeys.KeyFiles ECDSA = TestKeys.generate(DIR, "ecdsa", "ecdsa", "", false);
    private static final TestKeys.KeyFiles ED25519 = TestKeys.generate(DIR, "ed25519", "ed25519", "", false);
    private static final String PASSWORD = "agent-test-pw-5b5b";

    /** Accepts only the RSA key, and only SHA-2 signatures from it, like OpenSSH 8.8+. */
    @RegisterExtension
    static final MinaSshServerExtension RSA_SERVER = MinaSshServerExtension.builder()
            .authorizedKey(RSA.publicKey()).password("root", PASSWORD).refuseRsaSha1().build();

    @RegisterExtension
    static final MinaSshServerExtension ECDSA_SERVER = MinaSshServerExtension.builder()
            .authorizedKey(ECDSA.publicKey()).build();

    @RegisterExtension
    static final MinaSshServerExtension ED25519_SERVER = MinaSshServerExtension.builder()
            .authorizedKey(ED25519.publicKey()).build();

    /** Accepts none of the agent's keys. */
    @RegisterExtension
    static final MinaSshServerExtension NO_KEY_SERVER = MinaSshServerExtension.builder().passwordAuth(false)
            .keyboardInteractiveAuth(false).build();

    private static Process agent;
    private static Path socket;

    private final List<String> retries = new ArrayList<>();
    private final DialListener listener = (target, attempt, limit, reason) -> retries.add(reason);

    private static Path createTempDir() {
        try {
            // Short: a Unix socket path may not exceed 107 bytes.
            return Files.createTempDirectory(Path.of("/tmp"), "agent");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void startAgent() throws Exception {
        socket = DIR.resolve("agent.sock");
        // -D: stay in the foreground, so the test owns the process and can end it.
        agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true).redirectOutput(DIR.resolve("agent.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(socket)) {
            if (!agent.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("ssh-agent did not start: " + Files.readString(DIR.resolve("agent.log")));
            }
            Thread.sleep(20);
        }
        Map<String, String> env = Map.of("SSH_AUTH_SOCK", socket.toString());
        for (TestKeys.KeyFiles key : List.of(UNAUTHORIZED, RSA, ECDSA, ED25519)) {
            TestKeys.run(List.of("ssh-add", key.privateKeyFile().toString()), env);
        }
    }

    @AfterAll
    static void stopAgent() throws Exception {
        if (agent != null) {
            agent.destroy();
            agent.waitFor(5, TimeUnit.SECONDS);
        }
        try (var files = Files.list(DIR)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(DIR);
    }

    @Test
    void theAgentListsItsIdentities() throws IOException {
        try (SshAgentClient client = SshAgentClient.connect(socket)) {
            List<String> types = client.identities().stream().map(SshAgentClient.Identity::keyType).toList();
            assertEquals(List.of("ecdsa-sha2-nistp256", "ssh-rsa", "ecdsa-sha2-nistp256", "ssh-ed25519"), types);
            assertEquals("rsa@test", client.identities().get(1).comment());
        }
    }

    @Test
    void rsaKeyInTheAgentSignsWithSha2() {
        SshTarget target = RSA_SERVER.target("root").agentSocketPath(socket.toString())
                .hostKey(RSA_SERVER.hostKey()).build();
        try (HostSession session = new SshjConnector(Map.of()).open(target, listener)) {
            assertEquals("agent-rsa\n", session.run("echo agent-rsa", Duration.ofSeconds(10)).stdout());
        }
        assertEquals(List.of(), retries);
    }

    @Test
    void ecdsaKeyInTheAgent() {
        SshTarget target = ECDSA_SERVER.target("root").agentSocketPath(socket.toString()).build();
        try (HostSession session = new SshjConnector(Map.of()).open(target, listener)) {
            assertEquals("agent-ecdsa\n", session.run("echo agent-ecdsa", Duration.ofSeconds(10)).stdout());
        }
    }

    @Test
    void ed25519KeyInTheAgent() {
        assumeTrue(MinaSshServerExtension.ed25519Supported(),
                "MINA 2.14 verifies ed25519 only with net.i2p eddsa; MINA 2.15 does with Bouncy Castle");
        SshTarget target = ED25519_SERVER.target("root").agentSocketPath(socket.toString()).build();
        try (HostSession session = new SshjConnector(Map.of()).open(target, listener)) {
            assertEquals("agent-ed25519\n", session.run("echo agent-ed25519", Duration.ofSeconds(10)).stdout());
        }
    }

    @Test
    void aHungAgentCountsAsADialTimeout() throws Exception {
        // Accepts connections and never answers.
        Path hungSocket = DIR.resolve("hung.sock");
        try (ServerSocketChannel hung = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            hung.bind(UnixDomainSocketAddress.of(hungSocket));
            SshTarget target = ECDSA_SERVER.target("root").agentSocketPath(hungSocket.toString())
                    .perDialTimeout(Duration.ofMillis(500)).dialErrorLimit(2).build();
            HostUnreachableException e = assertThrows(HostUnreachableException.class,
                    () -> new SshjConnector(Map.of()).open(target, listener));
            assertEquals("timed out after 500ms", e.lastReason());
            assertEquals(1, retries.size());
        } finally {
            Files.deleteIfExists(hungSocket);
        }
    }

    @Test
    void sshAuthSockIsTheDefaultWhenNoOtherCredentialIsGiven() {
        SshTarget target = ECDSA_SERVER.target("root").build();
        SshConnector connector = new SshjConnector(Map.of("SSH_AUTH_SOCK", socket.toString()));
        try (HostSession session = connector.open(target, listener)) {
            assertEquals("ok\n", session.run("echo ok", Duration.ofSeconds(10)).stdout());
        }
    }

    @Test
    void sshAuthSockIsIgnoredWhenAPasswordIsGiven() {
        SshTarget target = RSA_SERVER.target("root").password("wrong-pw-for-agent-test").build();
        SshConnector connector = new SshjConnector(Map.of("SSH_AUTH_SOCK", socket.toString()));
        HostAuthenticationException e = assertThrows(HostAuthenticationException.class,
                () -> connector.open(target, listener));
        assertEquals(List.of("password", "keyboard-interactive"), e.methodsTried());
    }

    @Test
    void everyRejectedAgentKeyIsNamedInTheError() {
        SshTarget target = NO_KEY_SERVER.target("root").agentSocketPath(socket.toString()).build();
        HostAuthenticationException e = assertThrows(HostAuthenticationException.class,
                () -> new SshjConnector(Map.of()).open(target, listener));
        assertEquals(List.of(
                "publickey (ssh-agent: ecdsa-sha2-nistp256 unauthorized@test)",
                "publickey (ssh-agent: ssh-rsa rsa@test)",
                "publickey (ssh-agent: ecdsa-sha2-nistp256 ecdsa@test)",
                "publickey (ssh-agent: ssh-ed25519 ed25519@test)"), e.methodsTried());
        assertEquals(List.of(), retries);
    }

    @Test
    void aMissingAgentSocketIsAClearAuthenticationError() {
        SshTarget target = ECDSA_SERVER.target("root").agentSocketPath(DIR.resolve("no-such.sock").toString()).build();
        HostAuthenticationException e = assertThrows(HostAuthenticationException.class,
                () -> new SshjConnector(Map.of()).open(target, listener));
        assertTrue(e.getMessage().contains("ssh-agent at " + DIR.resolve("no-such.sock") + " could not be used"),
                e::getMessage);
        assertEquals(List.of(), retries);
    }
}
