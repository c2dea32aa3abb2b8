package dev.wgforward.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every shell script of the repository passes shellcheck (warnings and errors; its style notes
 * are left to taste): the lab, the scripts, CI's entry point, the plugin's launcher and build
 * step, and the firewall scripts the provider renders (their golden copies). scripts/setup.sh
 * installs shellcheck; without it this test fails rather than pass unchecked.
 */
class ShellScriptsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> FOLDERS = List.of("lab", "scripts", ".ci", "provider/src/build", "provider/src/main/plugin",
            "provider/src/test/resources/golden");

    @Test
    void everyShellScriptPassesShellcheck() throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(ROOT.resolve("lab/lab.sh")), "the repository root is " + ROOT);
        List<String> scripts = scripts();
        assertTrue(scripts.size() > 20 && scripts.contains("lab/lab-init.sh") && scripts.contains(".ci/run"),
                "found the scripts: " + scripts);

        List<String> command = new ArrayList<>(List.of(shellcheck(), "--severity=warning", "--format=gcc"));
        command.addAll(scripts);
        Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
        String findings = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "shellcheck finished");
        assertEquals(0, process.exitValue(), "shellcheck's findings:\n" + findings);
    }

    /** Files ending in .sh, or starting with a shell's #! line; repository-relative. */
    private static List<String> scripts() throws IOException {
        List<String> scripts = new ArrayList<>();
        for (String folder : FOLDERS) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(folder))) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    if (file.toString().endsWith(".sh") || startsWithShellShebang(file)) {
                        scripts.add(ROOT.relativize(file).toString());
                    }
                }
            }
        }
        return scripts;
    }

    private static boolean startsWithShellShebang(Path file) throws IOException {
        byte[] head = new byte[64];
        int read;
        try (var in = Files.newInputStream(file)) {
            read = Math.max(0, in.read(head));
        }
        String first = new String(head, 0, read, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
        return first.matches("#!\\s*(/usr)?/bin/(env\\s+)?(ba|da)?sh\\b.*");
    }

    private static String shellcheck() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "shellcheck"))) {
                return Path.of(dir, "shellcheck").toString();
            }
        }
        throw new AssertionError("shellcheck is not installed: scripts/setup.sh installs it (apt-get install shellcheck)");
    }
}
