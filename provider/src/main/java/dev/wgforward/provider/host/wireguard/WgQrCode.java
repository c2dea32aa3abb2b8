package dev.wgforward.provider.host.wireguard;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.Map;

/**
 * A wg-quick file as a QR code in Unicode block characters, for the WireGuard mobile apps to scan
 * from a terminal ({@code pulumi stack output clientQrCodes --show-secrets}). ZXing encodes it;
 * each character is one module wide and two high (upper half, lower half, full block, space).
 *
 * <p>As {@code qrencode -t UTF8} draws it, for the usual dark terminal: the light modules are the
 * characters drawn in the terminal's (light) text colour, the dark ones are left blank, and a
 * quiet zone of light modules surrounds the code.
 */
public final class WgQrCode {
    private WgQrCode() {}

    /** Modules of light border around the code (qrencode's text default). */
    static final int QUIET_ZONE = 2;

    /**
     * The QR code of {@code text} (byte mode without an ECI header, which some scanners trip on: a
     * wg-quick file is ASCII; error correction L, as WireGuard's own docs make it), one text line
     * per two rows.
     */
    public static String render(String text) {
        BitMatrix code;
        try {
            code = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, Map.of(
                    EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.L,
                    EncodeHintType.MARGIN, QUIET_ZONE));
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot encode " + text.length() + " characters as a QR code: " + e.getMessage(), e);
        }
        StringBuilder out = new StringBuilder();
        for (int y = 0; y < code.getHeight(); y += 2) {
            for (int x = 0; x < code.getWidth(); x++) {
                boolean upperLight = !code.get(x, y);
                boolean lowerLight = y + 1 >= code.getHeight() || !code.get(x, y + 1);
                out.append(upperLight ? (lowerLight ? '█' : '▀') : (lowerLight ? '▄' : ' '));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
