package dev.wgforward.provider.host.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgforward.provider.host.OwnDirectory;
import dev.wgforward.provider.host.OwnerMark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link WgHostScripts#apply} and {@link WgHostScripts#down} do to /etc/wireguard itself: the
 * real scripts, run by sh with /etc/wireguard standing for a scratch directory, and with stand-ins
 * for {@code ip} and {@code wg} (an interface that is not there until added) on a PATH without
 * systemctl. wgforward makes the directory (0700, marked) only where it is missing, and takes it
 * away only then, when nothing but its marker is left; a directory that was there stays as it was.
 */
class WgHostScriptsConfigDirTest {
    private static final WgInterface RELAY = new WgInterface("wgf0", "192.168.77.1/24", OptionalInt.of(51820),
            "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=", OptionalInt.empty(), List.of(new WgPeer(
                    "3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08=", List.of("192.168.77.2/32"), Optional.empty(),
                    OptionalInt.empty())));
    private static final OwnerMark OWNER = OwnerMark.forResource("urn:pulumi:dev::p::wgforward:index:WireGuardInterface::relay");

    @TempDir
    Path scratch;
    private Path etcWireguard;
    private Path bin;

    @BeforeEach
    void standIns() throws IOException {
        etcWireguard = scratch.resolve("etc/wireguard");
        Files.createDirectories(scratch.resolve("etc"));
        bin = Files.createDirectories(scratch.resolve("bin"));
        for (String tool : List.of("cat", "mv", "rm", "rmdir", "mkdir", "ls", "grep", "sed", "head", "awk")) {
            Path real = Stream.of("/usr/bin/", "/bin/").map(dir -> Path.of(dir + tool)).filter(Files::isExecutable).findFirst()
                    .orElseThrow(() -> new AssertionError(tool + " is missing"));
            Files.createSymbolicLink(bin.resolve(tool), real);
        }
        // The interface exists once added (a file stands for it); wg accepts its configuration.
        Path link = scratch.resolve("link");
        stub("ip", """
                case "$*" in
                  "link show dev wgf0"|"-d link show dev wgf0") [ -f %1$s ] || exit 1; echo 'wgf0: <POINTOPOINT> wireguard' ;;
                  "link add dev wgf0 type wireguard") : > %1$s ;;
                  "link del dev wgf0") rm -f %1$s ;;
                esac
                exit 0
                """.formatted(link));
        stub("wg", "cat >/dev/null\n");
    }

    private void stub(String name, String body) throws IOException {
        Path stub = bin.resolve(name);
        Files.writeString(stub, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void run(String script) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-s").redirectErrorStream(true);
        pb.environment().put("PATH", bin.toString());
        Process sh = pb.start();
        sh.getOutputStream().write(script.replace("/etc/wireguard", etcWireguard.toString()).getBytes(StandardCharsets.UTF_8));
        sh.getOutputStream().close();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(sh.waitFor(30, TimeUnit.SECONDS), out);
        assertEquals(0, sh.exitValue(), out);
    }

    private void up() throws IOException, InterruptedException {
        run(WgHostScripts.apply(RELAY, OWNER, OwnerMark.Unmarked.FOREIGN, "fix"));
        assertTrue(Files.isRegularFile(etcWireguard.resolve("wgf0.conf")), "the config is written");
    }

    private void down() throws IOException, InterruptedException {
        run(WgHostScripts.down("wgf0", OWNER, OwnerMark.Unmarked.FOREIGN));
        assertFalse(Files.exists(etcWireguard.resolve("wgf0.conf")), "the config is removed");
    }

    private String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(etcWireguard)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aHostWithoutIt() throws Exception {
        up();
        assertEquals("rwx------", mode(etcWireguard), "made as wg-quick wants it");
        assertEquals(List.of(OwnDirectory.MARKER, "wgf0.conf"), names(), "and marked as wgforward's");
        down();
        assertFalse(Files.exists(etcWireguard), "gone with wgforward's last file: the host is as before");
        down();
        assertFalse(Files.exists(etcWireguard), "removing again is no failure");
    }

    @Test
    void aHostWithAnEmptyOneKeepsItAsItWas() throws Exception {
        Files.createDirectory(etcWireguard);
        Files.setPosixFilePermissions(etcWireguard, PosixFilePermissions.fromString("rwxr-x---"));
        up();
        assertEquals(List.of("wgf0.conf"), names(), "used, not marked");
        down();
        assertEquals(List.of(), names(), "kept, empty");
        assertEquals("rwxr-x---", mode(etcWireguard), "its mode untouched");
    }

    @Test
    void aHostWithTheAdminsTunnelKeepsItAndTheirFile() throws Exception {
        Files.createDirectory(etcWireguard);
        Files.writeString(etcWireguard.resolve("wg0.conf"), "[Interface]\n");
        up();
        down();
        assertEquals(List.of("wg0.conf"), names());
    }

    @Test
    void aDirectoryWgforwardMadeStaysWhileAFileNotItsOwnIsInIt() throws Exception {
        up();
        Files.writeString(etcWireguard.resolve("wg0.conf"), "[Interface]\n");
        down();
        assertEquals(List.of(OwnDirectory.MARKER, "wg0.conf"), names(),
                "the admin's file keeps it there, still marked: the directory goes with the last of both");
        Files.delete(etcWireguard.resolve("wg0.conf"));
        down();
        assertFalse(Files.exists(etcWireguard));
    }
}
