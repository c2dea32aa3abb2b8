package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C on `pulumi up` while the provider waits for a host that does not answer: the engine's
 * Cancel reaches the dial loop, which stops at once instead of using up its retry budget.
 */
class CancelIT {

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void ctrlCStopsAnUpThatWaitsForAnUnreachableHost(@TempDir Path scratch) throws Exception {
        PulumiProject project = PulumiProject.empty(scratch);
        // 100 dials 5 s apart: over eight minutes of patience if nothing stopped it.
        Files.writeString(project.dir().resolve("Pulumi.yaml"), """
                name: wgforward-cancel
                runtime: yaml
                plugins:
                  providers:
                    - name: wgforward
                      path: %s
                resources:
                  key:
                    type: wgforward:index:KeyPair
                  tunnel:
                    type: wgforward:index:WireGuardInterface
                    properties:
                      connection:
                        host: 127.0.0.1
                        port: %d
                        password: never-used-pw
                        dialErrorLimit: 100
                        dialRetryDelay: 5
                      address: 10.77.42.1/24
                      privateKey: ${key.privateKey}
                """.formatted(Toolchain.pluginDir().toAbsolutePath(), closedPort()));
        project.pulumi("stack", "init", "cancel").assertOk();

        Path log = scratch.resolve("up.log");
        Process up = project.pulumiProcess("up", "--yes", "--skip-preview")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            // The provider is dialing once its first retry is announced.
            long waitUntil = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!output(log).contains("dial 1/100") && up.isAlive() && System.nanoTime() < waitUntil) {
                Thread.sleep(200);
            }
            assertTrue(output(log).contains("dial 1/100"), "the dial loop should be running:\n" + output(log));
            Thread.sleep(2000); // well inside a 5 s wait between dials

            long signalled = System.nanoTime();
            new ProcessBuilder("kill", "-INT", String.valueOf(up.pid())).start().waitFor();
            boolean exited = up.waitFor(60, TimeUnit.SECONDS);
            long exitMs = Duration.ofNanos(System.nanoTime() - signalled).toMillis();
            System.out.println("CancelIT: pulumi up exited " + exitMs + " ms after SIGINT");

            assertTrue(exited, "pulumi up still running 60 s after SIGINT:\n" + output(log));
            assertNotEquals(0, up.exitValue(), output(log));
            assertTrue(output(log).contains("cancelled while dialing"), "the reason is shown:\n" + output(log));
            assertTrue(exitMs < 10_000, "exited " + exitMs + " ms after SIGINT:\n" + output(log));
        } finally {
            up.descendants().forEach(ProcessHandle::destroyForcibly);
            up.destroyForcibly();
        }
        project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
    }

    private static String output(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
