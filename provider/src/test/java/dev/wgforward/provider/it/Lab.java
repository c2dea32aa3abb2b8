package dev.wgforward.provider.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The namespace lab (lab/lab.sh) as the integration tests use it: one lab per test JVM, brought
 * up on first use in the mode a test needs (plain, or the client behind NAT), and taken down when
 * the JVM exits so that no process or namespace outlives the test run.
 */
final class Lab {
    enum Mode { PLAIN, NAT }

    private static Mode current;
    private static Map<String, String> hosts = Map.of();

    private Lab() {}

    static synchronized void ensure(Mode mode) {
        if (current == mode) {
            return;
        }
        if (current != null) {
            lab(Duration.ofMinutes(2), "down").assertOk();
        } else {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> lab(Duration.ofMinutes(2), "down"), "lab-down"));
        }
        List<String> args = new ArrayList<>(List.of("up"));
        if (mode == Mode.NAT) {
            args.add("--nat");
        }
        lab(Duration.ofMinutes(10), args.toArray(String[]::new)).assertOk();
        current = mode;
        hosts = readHostsEnv();
    }

    static Path dir() {
        return Paths.get(System.getenv().getOrDefault("LAB_DIR", "/tmp/wgforward-lab"));
    }

    /** A value from hosts.env, e.g. {@code RELAY_SSH_PORT}. */
    static String get(String key) {
        String value = hosts.get(key);
        if (value == null) {
            throw new AssertionError("lab/hosts.env has no " + key + ": " + hosts.keySet());
        }
        return value;
    }

    static String privateKey() {
        try {
            return Files.readString(Paths.get(get("LAB_SSH_KEY")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command as root inside a lab host (all of its namespaces). */
    static Commands.Result exec(String host, String shellCommand) {
        return lab(Duration.ofMinutes(3), "exec", host, "sh", "-c", shellCommand);
    }

    /** Runs a command over real ssh into a lab host, as root or as {@code user}. */
    static Commands.Result ssh(String user, String host, String command) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("LAB_USER", user);
        return Commands.run(Toolchain.repoRoot(), env, Duration.ofMinutes(2),
                List.of("bash", Toolchain.repoRoot().resolve("lab/lab.sh").toString(), "ssh", host, command));
    }

    static Commands.Result cable(String host, boolean plugged) {
        return lab(Duration.ofMinutes(1), "cable", host, plugged ? "plug" : "unplug");
    }

    static Commands.Result lab(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", Toolchain.repoRoot().resolve("lab/lab.sh").toString()));
        command.addAll(List.of(args));
        return Commands.run(Toolchain.repoRoot(), System.getenv(), timeout, command);
    }

    private static Map<String, String> readHostsEnv() {
        Map<String, String> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(dir().resolve("hosts.env"))) {
                int eq = line.indexOf('=');
                if (line.startsWith("#") || eq < 1) {
                    continue;
                }
                String value = line.substring(eq + 1);
                if (value.length() >= 2 && (value.startsWith("'") && value.endsWith("'") || value.startsWith("\"") && value.endsWith("\""))) {
                    value = value.substring(1, value.length() - 1);
                }
                values.put(line.substring(0, eq), value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }
}
