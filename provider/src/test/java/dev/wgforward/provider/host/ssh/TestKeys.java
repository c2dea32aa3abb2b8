package dev.wgforward.provider.host.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Client key pairs made by the real {@code ssh-keygen} (openssh-client), so the formats are
 * exactly what users paste. Generated per test run instead of checked in: private keys in a
 * repository trip secret scanners and invite reuse.
 */
final class TestKeys {
    private TestKeys() {}

    record KeyFiles(Path privateKeyFile, String privateKey, String publicKey) {}

    /**
     * @param type ed25519, rsa or ecdsa
     * @param passphrase empty for none
     * @param pem the traditional PEM format ({@code BEGIN RSA PRIVATE KEY}) instead of OpenSSH's
     */
    static KeyFiles generate(Path dir, String name, String type, String passphrase, boolean pem) {
        Path file = dir.resolve(name);
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase,
                "-C", name + "@test", "-f", file.toString()));
        if (type.equals("rsa")) {
            command.addAll(List.of("-b", "2048"));
        }
        if (pem) {
            command.addAll(List.of("-m", "PEM"));
        }
        run(command, Map.of());
        try {
            return new KeyFiles(file, Files.readString(file, StandardCharsets.UTF_8),
                    Files.readString(dir.resolve(name + ".pub"), StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh directory for a test class's keys; {@link #deleteDirectory} removes it afterwards. */
    static Path temporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes a directory of key files made by {@link #temporaryDirectory}. */
    static void deleteDirectory(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    /** Runs a local tool to completion; fails the test with its output if it fails. */
    static String run(List<String> command, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(command.get(0) + " is needed by this test"
                    + " (apt-get install -y --no-install-recommends openssh-client): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
