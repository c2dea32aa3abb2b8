package dev.wgforward.provider.host.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the rendered files against wireguard-tools' own parser: {@code wg-quick strip} turns a
 * wg-quick file into what {@code wg setconf} takes, which must be our setconf rendering. Needs
 * {@code wg-quick} (and bash) on PATH; fails, never skips, without them.
 */
class WgConfigWgQuickIT {

    @TempDir
    Path directory;

    @Test
    void wgQuickStripOfOurWgQuickFileIsOurSetconfFile() throws Exception {
        WgKeyPair relay = WgKeys.generate();
        WgKeyPair client = WgKeys.generate();
        WgInterface wgInterface = new WgInterface("wgf0", "192.168.77.1/24", OptionalInt.of(51820), relay.privateKey(),
                OptionalInt.of(1420), List.of(
                        new WgPeer(client.publicKey(), List.of("192.168.77.2/32", "fd77::2/128"), Optional.of("[2001:db8::2]:51820"),
                                OptionalInt.of(25)),
                        WgPeer.of(WgKeys.generate().publicKey(), List.of("192.168.77.3/32"))));
        // wg-quick takes the interface name from the file name, and wants a private file.
        Path file = directory.resolve("wgf0.conf");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, WgConfigRenderer.wgQuick(wgInterface), StandardCharsets.UTF_8);

        Process process;
        try {
            process = new ProcessBuilder("wg-quick", "strip", file.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new AssertionError("this test needs wireguard-tools' wg-quick on PATH: " + e.getMessage(), e);
        }
        String stripped = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "wg-quick strip did not finish");
        assertEquals(0, process.exitValue(), "wg-quick strip failed");
        // wg-quick strip ends its output with one extra empty line.
        assertEquals(WgConfigRenderer.wgSetconf(wgInterface), stripped.substring(0, stripped.length() - 1));
    }
}
