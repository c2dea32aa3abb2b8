package dev.wgforward.provider.host.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Checks the JDK-based keys against wireguard-tools' {@code wg}. Needs {@code wg} on PATH and
 * fails (never skips) without it, so a machine that can't run the check doesn't pass it.
 */
class WgKeysWgToolIT {

    private static String wg(String stdin, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "wg";
        System.arraycopy(args, 0, command, 1, args.length);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new AssertionError("this test needs wireguard-tools' wg on PATH: " + e.getMessage(), e);
        }
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "wg did not finish");
        assertEquals(0, process.exitValue(), "wg " + String.join(" ", args) + " failed");
        return out;
    }

    @Test
    void ourPublicKeyOfOurKeyMatchesWgPubkey() throws Exception {
        for (int i = 0; i < 5; i++) {
            WgKeyPair pair = WgKeys.generate();
            assertEquals(wg(pair.privateKey() + "\n", "pubkey"), pair.publicKey());
        }
    }

    @Test
    void ourPublicKeyOfWgGenkeyMatchesWgPubkey() throws Exception {
        for (int i = 0; i < 5; i++) {
            String privateKey = wg("", "genkey");
            assertTrue(WgKeys.isValidKey(privateKey), "wg genkey printed something that is not a key");
            assertEquals(wg(privateKey + "\n", "pubkey"), WgKeys.publicKeyOf(privateKey));
        }
    }

    @Test
    void unclampedPrivateKeyGivesTheSamePublicKeyAsWg() throws Exception {
        // All bits set: wg pubkey clamps it, and so must we.
        String unclamped = java.util.Base64.getEncoder().encodeToString(new byte[] {
            -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
            -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1});
        assertEquals(wg(unclamped + "\n", "pubkey"), WgKeys.publicKeyOf(unclamped));
    }
}
