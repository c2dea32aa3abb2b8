package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sdk/java is generated from schema.json and never edited: regenerating it must change nothing. */
class SdkIT {

    @Test
    void checkedInJavaSdkMatchesTheSchema(@TempDir Path scratch) throws IOException {
        Path repo = Toolchain.repoRoot();
        Commands.run(repo, Map.of("PATH", Toolchain.pulumiBin() + ":" + System.getenv("PATH")), Duration.ofMinutes(5),
                List.of("bash", repo.resolve("scripts/gen-sdk.sh").toString(), scratch.toString())).assertOk();
        assertEquals(tree(repo.resolve("sdk/java/src/main/java")), tree(scratch.resolve("src/main/java")),
                "sdk/java is stale: run scripts/gen-sdk.sh after changing schema.json");
    }

    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
                files.put(root.relativize(p).toString(), Files.readString(p));
            }
        }
        return files;
    }
}
