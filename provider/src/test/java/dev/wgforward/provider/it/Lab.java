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
 *
 * <p>It is the tests' own lab ({@code LAB_NAME=test}: its own namespaces, ports and state
 * directory), whether the tests run from scripts/test.sh or straight from Maven, so that they
 * neither see nor take down the demo's. LAB_NAME, LAB_DIR, LAB_NS_PREFIX and LAB_SSH_PORT_BASE
 * in the environment still take precedence (e.g. to run two test JVMs side by side).
 */
final class Lab {
    /**
     * PLAIN: every host a namespace host on the plain network; NAT: the client behind a NAT
     * router; BOOTED: the plain network with the relay and the client real booted Debian hosts
     * (systemd as PID 1, sshd, ufw and firewalld installed but off: lab.sh up --booted).
     */
    enum Mode { PLAIN, NAT, BOOTED }

    /** Where {@link #fault} cuts the connection: before the script runs, or after it ran. */
    enum Cut { BEFORE, AFTER }

    private static Mode current;
    private static boolean downAtExit;
    private static Map<String, String> hosts = Map.of();
    private static Path dir;

    private Lab() {}

    static synchronized void ensure(Mode mode) {
        if (current == mode) {
            return;
        }
        if (current != null) {
            lab(Duration.ofMinutes(2), "down").assertOk();
        } else if (!downAtExit) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> lab(Duration.ofMinutes(2), "down"), "lab-down"));
            downAtExit = true;
        }
        List<String> args = new ArrayList<>(List.of("up"));
        if (mode == Mode.NAT) {
            args.add("--nat");
        } else if (mode == Mode.BOOTED) {
            args.addAll(List.of("--booted", "client,relay"));
        }
        lab(Duration.ofMinutes(10), args.toArray(String[]::new)).assertOk();
        current = mode;
        hosts = readHostsEnv();
    }

    /**
     * Takes the lab down and up again, in the same mode: new hosts, for a test that needs what
     * only a new network namespace is sure to have — e.g. no iptables-legacy tables, which stay
     * registered in the kernel once an earlier test used them, until their namespace goes.
     * (New host keys too: read {@link #get} after it.)
     */
    static synchronized void restart() {
        Mode mode = current;
        if (mode == null) {
            throw new IllegalStateException("the lab is not up");
        }
        lab(Duration.ofMinutes(2), "down").assertOk();
        current = null;
        ensure(mode);
    }

    /** The lab's state directory, as lab.sh resolves it from the environment. */
    static synchronized Path dir() {
        if (dir == null) {
            String config = lab(Duration.ofSeconds(30), "config").assertOk().output();
            dir = config.lines().filter(l -> l.startsWith("LAB_DIR=")).map(l -> Paths.get(l.substring(8)))
                    .findFirst().orElseThrow(() -> new AssertionError("lab.sh config printed no LAB_DIR:\n" + config));
        }
        return dir;
    }

    /** The environment for lab.sh: ours, in the tests' own lab unless the caller chose another. */
    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putIfAbsent("LAB_NAME", "test");
        return env;
    }

    /**
     * A value from hosts.env, e.g. {@code RELAY_SSH_PORT}, or {@code RELAY_ADDR6} (a host's IPv6
     * address; hosts without IPv6, the client behind the NAT, have none).
     */
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
        Map<String, String> env = env();
        env.put("LAB_USER", user);
        return Commands.run(Toolchain.repoRoot(), env, Duration.ofMinutes(2),
                List.of("bash", Toolchain.repoRoot().resolve("lab/lab.sh").toString(), "ssh", host, command));
    }

    /**
     * Like {@link #ssh(String, String, String)}, with {@code stdin} as the remote command's
     * standard input, e.g. a script for {@code sh -s} as the provider sends it.
     */
    static Commands.Result ssh(String user, String host, String command, String stdin) {
        Path input;
        try {
            input = Files.createTempFile("wgf-lab-stdin-", ".txt");
            Files.writeString(input, stdin);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Map<String, String> env = env();
            env.put("LAB_USER", user);
            return Commands.run(Toolchain.repoRoot(), env, Duration.ofMinutes(2), List.of("bash", "-c",
                    "exec bash \"$0\" ssh \"$1\" \"$2\" < \"$3\"",
                    Toolchain.repoRoot().resolve("lab/lab.sh").toString(), host, command, input.toString()));
        } finally {
            try {
                Files.deleteIfExists(input);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }

    /**
     * lab.sh snapshot: {@code host}'s firewall, links, addresses, routes, sysctls, files and
     * processes, to compare before and after; IPv4 and IPv6 alike (nft's ip6 tables, ip6tables
     * of both flavours, IPv6 addresses and routes, net.ipv6.conf forwarding and accept_ra of
     * every link).
     */
    static String snapshot(String host) {
        return lab(Duration.ofMinutes(1), "snapshot", host).assertOk().output();
    }

    static Commands.Result cable(String host, boolean plugged) {
        return lab(Duration.ofMinutes(1), "cable", host, plugged ? "plug" : "unplug");
    }

    /**
     * Arms {@code host}'s fault gate (lab.sh fault): the {@code nth} (1-based) ssh session running
     * {@code sh -s} or {@code sudo -n sh -s} whose script contains {@code pattern} (a fixed
     * string) loses its whole ssh connection, {@code BEFORE} the script runs or {@code AFTER} it
     * ran to completion (its output and exit status never reach the client). One-shot; arming
     * again starts over.
     */
    static void fault(String host, String pattern, Cut when, int nth) {
        lab(Duration.ofMinutes(1), "fault", host, "arm", pattern, when.name().toLowerCase(java.util.Locale.ROOT),
                Integer.toString(nth)).assertOk();
    }

    /** Disarms {@code host}'s fault gate and forgets whether it fired. */
    static void clearFault(String host) {
        lab(Duration.ofMinutes(1), "fault", host, "clear").assertOk();
    }

    /** Whether {@code host}'s armed fault has fired (since it was armed). */
    static boolean faultFired(String host) {
        return faultStatus(host).startsWith("fired");
    }

    /** lab.sh's one-line account: {@code fired before|after (...)}, {@code armed: ...} or {@code clear}. */
    static String faultStatus(String host) {
        return lab(Duration.ofMinutes(1), "fault", host, "status").assertOk().output().trim();
    }

    /**
     * Powers booted hosts off (systemd stops every unit) and boots them again (systemd starts
     * every unit from scratch), all of them at once; returns each host's boot time in seconds,
     * from power-on to systemd "running" with sshd answering.
     */
    static Map<String, Double> reboot(String... hosts) {
        List<String> args = new ArrayList<>(List.of("reboot"));
        args.addAll(List.of(hosts));
        String out = lab(Duration.ofMinutes(5), args.toArray(String[]::new)).assertOk().output();
        Map<String, Double> seconds = new HashMap<>();
        for (String host : hosts) {
            seconds.put(host, out.lines().filter(l -> l.startsWith(host + " ")).map(l -> Double.parseDouble(l.substring(host.length() + 1).trim()))
                    .findFirst().orElseThrow(() -> new AssertionError("lab.sh reboot printed no boot time for " + host + ":\n" + out)));
        }
        return seconds;
    }

    /** Powers a booted host off, throws away every write to its disk since the lab set it up, and boots it. */
    static void reset(String host) {
        lab(Duration.ofMinutes(5), "reset", host).assertOk();
    }

    static Commands.Result lab(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", Toolchain.repoRoot().resolve("lab/lab.sh").toString()));
        command.addAll(List.of(args));
        return Commands.run(Toolchain.repoRoot(), env(), timeout, command);
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
