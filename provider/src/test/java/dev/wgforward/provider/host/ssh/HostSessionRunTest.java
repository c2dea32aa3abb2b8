package dev.wgforward.provider.host.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Running scripts and writing files through {@link HostSession}, against a real local sh. */
class HostSessionRunTest {
    private static final String PASSWORD = "login-password-7d1e";
    private static final String SECRET = "wg-private-key-QmFzZTY0U2VjcmV0S2V5";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int SMALL_WINDOW = 64 * 1024;

    @RegisterExtension
    static final MinaSshServerExtension SERVER = MinaSshServerExtension.builder()
            .password("root", PASSWORD)
            .password("deploy", PASSWORD)
            .build();

    private final SshConnector connector = new SshjConnector(Map.of());

    @AfterEach
    void removeStubs() {
        SERVER.removeAllStubs();
    }

    private HostSession open(String user, Redactor redactor) {
        SshTarget target = SERVER.target(user).password(PASSWORD).hostKey(SERVER.hostKey()).build();
        return connector.open(target, HostKeyPolicy.forTarget(target), DialListener.NONE, redactor);
    }

    @Test
    void runCapturesStdoutStderrAndExitCode() {
        try (HostSession session = open("root", Redactor.of())) {
            ExecResult result = session.run("echo out; echo err >&2; exit 3", TIMEOUT);
            assertEquals(new ExecResult(3, "out\n", "err\n"), result);
            assertFalse(result.ok());
            assertTrue(session.run("true", TIMEOUT).ok());
            assertTrue(session.isRoot());
        }
    }

    @Test
    void theScriptTravelsOnStdinAndTheCommandIsExactlyShS() {
        try (HostSession session = open("root", Redactor.of())) {
            ExecResult result = session.run("marker=stdin-only-value\necho \"$marker\"", TIMEOUT);
            assertEquals("stdin-only-value\n", result.stdout());
        }
        assertEquals(List.of("sh -s"), SERVER.commandLines());
    }

    @Test
    void commandsReadingStdinDoNotSwallowTheRestOfTheScript() {
        try (HostSession session = open("root", Redactor.of())) {
            ExecResult result = session.run("cat\necho after-cat", TIMEOUT);
            assertEquals("after-cat\n", result.stdout());
            assertTrue(result.ok());
        }
    }

    @Test
    void aSyntaxErrorRunsNothing() {
        try (HostSession session = open("root", Redactor.of())) {
            ExecResult result = session.run("echo ran-before-error\nif then fi", TIMEOUT);
            assertFalse(result.ok());
            assertEquals("", result.stdout());
        }
    }

    @Test
    void nonRootUsersGoThroughPasswordlessSudo() {
        // A stand-in for sudo that insists on -n and then runs the command.
        SERVER.installStub("sudo", "#!/bin/sh\n[ \"$1\" = -n ] || { echo 'stub sudo: -n missing' >&2; exit 99; }\n"
                + "shift\necho sudo-was-here >&2\nexec \"$@\"\n");
        try (HostSession session = open("deploy", Redactor.of())) {
            assertFalse(session.isRoot());
            ExecResult result = session.run("echo as-root", TIMEOUT);
            assertEquals(new ExecResult(0, "as-root\n", "sudo-was-here\n"), result);
        }
        assertEquals(List.of("sudo -n sh -s"), SERVER.commandLines());
    }

    @Test
    void sudoWantingAPasswordIsAClearError() {
        SERVER.installStub("sudo", "#!/bin/sh\necho 'sudo: a password is required' >&2\nexit 1\n");
        try (HostSession session = open("deploy", Redactor.of())) {
            HostException e = assertThrows(HostException.class, () -> session.run("echo hi", TIMEOUT));
            assertTrue(e.getMessage().contains("user 'deploy' on host needs passwordless sudo"), e::getMessage);
            assertTrue(e.getMessage().contains("a password is required"), e::getMessage);
            assertTrue(e.getMessage().startsWith("deploy@127.0.0.1:"), e::getMessage);
        }
    }

    @Test
    void aScriptThatRunsTooLongIsStopped() {
        try (HostSession session = open("root", Redactor.of())) {
            long start = System.nanoTime();
            HostException e = assertThrows(HostException.class, () -> session.run("sleep 60", Duration.ofMillis(300)));
            assertTrue(e.getMessage().contains("did not finish within 300ms"), e::getMessage);
            // Stopped, not waited for: far sooner than the script's minute, with room for a
            // loaded machine (a 3 s bound failed once in 200 runs at load 15 on 2 cores).
            long took = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(took < 20_000, () -> "run returned only after " + took + " ms");
            // The connection is still usable afterwards.
            assertEquals("still-here\n", session.run("echo still-here", TIMEOUT).stdout());
        }
    }

    @Test
    void outputIsRedacted() {
        Redactor redactor = Redactor.of(SECRET);
        try (HostSession session = open("root", redactor)) {
            ExecResult result = session.run("echo \"token " + SECRET + "\"; echo \"" + SECRET + "\" >&2", TIMEOUT);
            assertEquals("token [secret]\n", result.stdout());
            assertEquals("[secret]\n", result.stderr());
            // The login password is the session's own secret: hidden without being asked.
            assertEquals("[secret]\n", session.run("echo " + PASSWORD, TIMEOUT).stdout());
        }
    }

    @Test
    void largeInputAndOutputDoNotDeadlock() {
        try (HostSession session = open("root", Redactor.of())) {
            // A 3 MB script and 4 MB on each output stream: more than any SSH window.
            String payload = "x".repeat(3_000_000);
            String script = "wc -c <<'END'\n" + payload + "\nEND\n"
                    + "head -c 4000000 /dev/zero | tr '\\0' a; head -c 4000000 /dev/zero >&2";
            ExecResult result = session.run(script, TIMEOUT);
            assertTrue(result.stdout().startsWith("3000001\n"), () -> result.stdout().substring(0, 20));
            assertEquals(8 + 4_000_000, result.stdout().length());
            assertEquals(4_000_000, result.stderr().length());
        }
    }

    @Test
    void aHostSlowToReadStdinStillGetsTheWholeScript() throws IOException {
        // The script is a bit larger than the window and the host reads nothing at first: when
        // the last bytes are handed over, the window is closed. Sending them must wait for it
        // to open, not drop them (which sshj's close() alone does) and send EOF.
        try (MinaSshServerExtension slowReader = MinaSshServerExtension.builder().password("root", PASSWORD)
                .windowSize(SMALL_WINDOW).stdinReadDelay(Duration.ofMillis(500)).build().start();
             HostSession session = connector.open(slowReader.target("root").password(PASSWORD)
                     .hostKey(slowReader.hostKey()).build(), DialListener.NONE)) {
            String script = "# " + "x".repeat(SMALL_WINDOW) + "\necho arrived-whole";
            ExecResult result = session.run(script, TIMEOUT);
            assertEquals(new ExecResult(0, "arrived-whole\n", ""), result);
        }
    }

    @Test
    void writeFileStoresSecretContentWithModeAndOnlyViaStdin(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("wg0.conf");
        byte[] content = ("[Interface]\nPrivateKey = " + SECRET + "\n").getBytes(StandardCharsets.UTF_8);
        try (HostSession session = open("root", Redactor.of())) {
            session.writeFile(file.toString(), content, "600");
        }
        assertArrayEquals(content, Files.readAllBytes(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String base64 = Base64.getEncoder().encodeToString(content);
        for (String commandLine : SERVER.commandLines()) {
            assertEquals("sh -s", commandLine);
            assertFalse(commandLine.contains(SECRET) || commandLine.contains(base64.substring(0, 20)));
        }
        try (var leftovers = Files.list(dir)) {
            assertEquals(List.of(file), leftovers.toList(), "no temp file may remain");
        }
    }

    @Test
    void writeFileReplacesAnExistingFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("some file 'quoted'.txt");
        Files.writeString(file, "old content that is longer than the new one");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        byte[] binary = {0, 1, 2, (byte) 0xff, '\n', '$', '`', '\\'};
        try (HostSession session = open("root", Redactor.of())) {
            session.writeFile(file.toString(), binary, "0640");
            session.writeFile(dir.resolve("empty").toString(), new byte[0], "644");
        }
        assertArrayEquals(binary, Files.readAllBytes(file));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(0, Files.size(dir.resolve("empty")));
    }

    @Test
    void writeFileErrorsHideTheContentEvenInBase64(@TempDir Path dir) {
        // A hostile base64 that echoes its input (the encoded content) and fails. Nothing told
        // the session about this content: writeFile itself treats it as secret.
        SERVER.installStub("base64", "#!/bin/sh\ncat >&2\nexit 1\n");
        byte[] content = ("[Interface]\nPrivateKey = " + SECRET + "\n").getBytes(StandardCharsets.UTF_8);
        try (HostSession session = open("root", Redactor.of())) {
            HostException e = assertThrows(HostException.class,
                    () -> session.writeFile(dir.resolve("x").toString(), content, "600"));
            String base64 = Base64.getEncoder().encodeToString(content);
            assertFalse(e.getMessage().contains(base64.substring(0, 24)), e::getMessage);
            assertTrue(e.getMessage().contains(Redactor.MASK), e::getMessage);
            assertTrue(e.getMessage().contains("writing " + dir.resolve("x") + " failed with exit code 1"), e::getMessage);
        }
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void writeFileErrorsHideTheCallersSecrets(@TempDir Path dir) {
        SERVER.installStub("base64", "#!/bin/sh\nbase64_real=$(PATH=/usr/bin:/bin command -v base64)\n"
                + "\"$base64_real\" \"$@\" | sed -n 's/^PrivateKey = //p' >&2\nexit 1\n");
        byte[] content = ("[Interface]\nPrivateKey = " + SECRET + "\n").getBytes(StandardCharsets.UTF_8);
        try (HostSession session = open("root", Redactor.of(SECRET))) {
            HostException e = assertThrows(HostException.class,
                    () -> session.writeFile(dir.resolve("y").toString(), content, "600"));
            assertFalse(e.getMessage().contains(SECRET), e::getMessage);
            assertTrue(e.getMessage().endsWith(": " + Redactor.MASK), e::getMessage);
        }
    }

    @Test
    void writeFileValidatesPathAndModeBeforeRunningAnything() {
        try (HostSession session = open("root", Redactor.of())) {
            byte[] content = {1};
            assertThrows(IllegalArgumentException.class, () -> session.writeFile("relative/path", content, "600"));
            assertThrows(IllegalArgumentException.class, () -> session.writeFile("/tmp/a\nb", content, "600"));
            assertThrows(IllegalArgumentException.class, () -> session.writeFile("/tmp/a\0b", content, "600"));
            assertThrows(IllegalArgumentException.class, () -> session.writeFile("/tmp/dir/", content, "600"));
            assertThrows(IllegalArgumentException.class, () -> session.writeFile("/tmp/a", content, "999"));
            assertThrows(IllegalArgumentException.class, () -> session.writeFile("/tmp/a", content, "60"));
            assertThrows(IllegalArgumentException.class, () -> session.writeFile("/tmp/a", content, "600; rm"));
        }
        assertEquals(List.of(), SERVER.commandLines());
    }

    @Test
    void runAfterCloseFails() {
        HostSession session = open("root", Redactor.of());
        session.close();
        session.close(); // idempotent
        assertThrows(HostException.class, () -> session.run("true", TIMEOUT));
    }
}
