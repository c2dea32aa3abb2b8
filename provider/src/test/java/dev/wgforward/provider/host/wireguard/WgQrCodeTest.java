package dev.wgforward.provider.host.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgforward.provider.testing.ZbarDecoder;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** A client's wg-quick file as a QR code: an independent decoder (zbarimg) reads back exactly the file. */
class WgQrCodeTest {
    private static final String CONFIG = WgConfigRenderer.wgQuick(new WgInterface("wgf0", "10.77.42.4/24", OptionalInt.empty(),
            WgKeys.generate().privateKey(), OptionalInt.of(1420), List.of(new WgPeer(WgKeys.generate().publicKey(),
                    List.of("10.77.42.1/32"), Optional.of("vpn.example.com:51820"), WgPeer.keepalive(25)))));

    @Test
    void zbarimgReadsBackExactlyTheConfig() {
        String code = WgQrCode.render(CONFIG);
        assertEquals(CONFIG, ZbarDecoder.decode(code));
    }

    @Test
    void itIsBlockCharactersInEvenLinesWithALightQuietZone() {
        List<String> lines = WgQrCode.render(CONFIG).lines().toList();
        int width = lines.get(0).length();
        assertTrue(lines.stream().allMatch(l -> l.length() == width), "every line as wide as the code");
        assertTrue(lines.stream().allMatch(l -> l.matches("[█▀▄ ]+")), "block characters only");
        assertTrue(lines.get(0).matches("█+"), "the quiet zone on top is light: " + lines.get(0));
        assertTrue(lines.stream().allMatch(l -> l.startsWith("██") && l.endsWith("██")), "the quiet zone left and right is light");
        // Two rows per line: a code of n modules plus the quiet zone takes (n + 4 + 1) / 2 lines.
        assertEquals((width + 1) / 2, lines.size());
    }
}
