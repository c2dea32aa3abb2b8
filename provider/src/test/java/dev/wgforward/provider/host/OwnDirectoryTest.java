package dev.wgforward.provider.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OwnDirectory}'s shell functions, run by sh on a scratch directory standing for /etc. */
class OwnDirectoryTest {
    @TempDir
    Path etc;

    private String run(String script) throws Exception {
        Process sh = new ProcessBuilder("sh", "-s").redirectErrorStream(true).start();
        sh.getOutputStream().write(("set -eu\nD=" + Shell.quote(etc.resolve("wgforward").toString()) + "\n" + OwnDirectory.FUNCTIONS + script)
                .getBytes(StandardCharsets.UTF_8));
        sh.getOutputStream().close();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        sh.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, sh.exitValue(), out);
        return out;
    }

    @Test
    void aDirectoryWgforwardMadeGoesWithItsLastFile() throws Exception {
        run("wgf_own_dir_make \"$D\"\necho x > \"$D/record\"\nwgf_own_dir_make \"$D\"\n");
        assertEquals(true, Files.exists(etc.resolve("wgforward/" + OwnDirectory.MARKER)));
        run("wgf_own_dir_remove \"$D\"\n");
        assertEquals(true, Files.exists(etc.resolve("wgforward/record")), "not while a file is left");
        run("rm \"$D/record\"\nwgf_own_dir_remove \"$D\"\nwgf_own_dir_remove \"$D\"\n");
        assertEquals(false, Files.exists(etc.resolve("wgforward")), "gone once empty; removing again is no failure");
    }

    @Test
    void aDirectoryThatWasThereBeforeStaysEvenEmpty() throws Exception {
        Files.createDirectory(etc.resolve("wgforward"));
        run("wgf_own_dir_make \"$D\"\necho x > \"$D/record\"\nrm \"$D/record\"\nwgf_own_dir_remove \"$D\"\n");
        assertEquals(true, Files.isDirectory(etc.resolve("wgforward")));
        try (var left = Files.list(etc.resolve("wgforward"))) {
            assertEquals(0, left.count(), "not marked: it was not wgforward's");
        }
    }
}
