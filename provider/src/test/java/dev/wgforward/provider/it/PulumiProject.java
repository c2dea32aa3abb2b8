package dev.wgforward.provider.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A copy of a Pulumi program in a scratch directory, with its own local state backend and
 * PULUMI_HOME, so tests never share state with each other or with a user's demo stack. The
 * program's relative plugin path (../../provider/target/plugin) is rewritten to the built plugin.
 */
final class PulumiProject {
    static final String PASSPHRASE = "wgforward-tests";
    private final Path dir;
    private final Map<String, String> env = new HashMap<>();

    private PulumiProject(Path dir, Path home) {
        this.dir = dir;
        Path bin = Toolchain.pulumiBin();
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("PULUMI_HOME", home.toString());
        env.put("PULUMI_BACKEND_URL", "file://" + dir.resolve(".state"));
        env.put("PULUMI_CONFIG_PASSPHRASE", PASSPHRASE);
        env.put("PULUMI_SKIP_UPDATE_CHECK", "true");
        env.put("PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION", "true");
        env.put("PULUMI_SKIP_CONFIRMATIONS", "true");
        env.put("NO_COLOR", "1");
    }

    /** Copies {@code example} (a directory under the repository) into a fresh scratch directory. */
    static PulumiProject copyOf(Path example, Path scratch) {
        try {
            Path dir = scratch.resolve(example.getFileName().toString());
            copyTree(example, dir);
            Path pulumiYaml = dir.resolve("Pulumi.yaml");
            String yaml = Files.readString(pulumiYaml)
                    .replace("../../provider/target/plugin", Toolchain.pluginDir().toAbsolutePath().toString());
            Files.writeString(pulumiYaml, yaml);
            return withLocalState(dir, scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An empty project directory, for commands that need no program. */
    static PulumiProject empty(Path scratch) {
        try {
            return withLocalState(scratch.resolve("empty"), scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A project in {@code dir} whose state lives in its .state and whose Pulumi home is in {@code scratch}. */
    private static PulumiProject withLocalState(Path dir, Path scratch) throws IOException {
        Files.createDirectories(dir.resolve(".state"));
        Path home = scratch.resolve("pulumi-home");
        Files.createDirectories(home);
        return new PulumiProject(dir, home);
    }

    Path dir() {
        return dir;
    }

    PulumiProject env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Commands.Result pulumi(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Toolchain.pulumiBin().resolve("pulumi").toString());
        List<String> given = List.of(args);
        command.addAll(given);
        if (!given.contains("version") && !given.contains("package") && !given.contains("plugin")) {
            // Before a "--": everything after it is a value.
            int dashes = command.indexOf("--");
            command.add(dashes < 0 ? command.size() : dashes, "--non-interactive");
        }
        return Commands.run(dir, env, Duration.ofMinutes(10), command);
    }

    /**
     * Any command in the project's directory with the project's environment (its state backend,
     * PULUMI_HOME, passphrase, and the toolchain's pulumi first on PATH): e.g. an Automation API
     * program, which drives the pulumi CLI itself.
     */
    Commands.Result run(Duration timeout, List<String> command) {
        return Commands.run(dir, env, timeout, command);
    }

    /**
     * The same pulumi command as {@link #pulumi}, to start by hand: for tests that signal it
     * while it runs. The caller redirects its output.
     */
    ProcessBuilder pulumiProcess(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Toolchain.pulumiBin().resolve("pulumi").toString());
        command.addAll(List.of(args));
        command.add("--non-interactive");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        return builder;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path rel = from.relativize(p);
                String name = rel.toString();
                // Build output, state, and stack settings a developer's own run left behind
                // (Pulumi.<stack>.yaml holds another passphrase's salt).
                if (name.startsWith("target") || name.startsWith(".state") || name.startsWith("node_modules")
                        || (name.startsWith("Pulumi.") && name.endsWith(".yaml") && !name.equals("Pulumi.yaml"))) {
                    continue;
                }
                Path dest = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
