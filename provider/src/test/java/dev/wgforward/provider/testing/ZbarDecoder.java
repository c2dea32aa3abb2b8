package dev.wgforward.provider.testing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Decodes a QR code drawn in Unicode block characters with an independent decoder, Debian's
 * {@code zbarimg} (zbar-tools, installed by scripts/setup.sh), on a PNG drawn from the text the way
 * a dark terminal shows it: each character cell 2 modules high, its block characters in light
 * ink on a dark background. Fails, never skips, without zbarimg.
 */
public final class ZbarDecoder {
    private ZbarDecoder() {}

    /** Pixels per module. */
    private static final int SCALE = 6;
    /** Dark terminal background around the code, in modules. */
    private static final int BACKGROUND = 4;

    public static String decode(String rendered) {
        List<String> lines = rendered.lines().toList();
        int width = lines.stream().mapToInt(String::length).max().orElse(0);
        int height = lines.size() * 2;
        BufferedImage image = new BufferedImage((width + 2 * BACKGROUND) * SCALE, (height + 2 * BACKGROUND) * SCALE,
                BufferedImage.TYPE_BYTE_GRAY);
        for (int row = 0; row < lines.size(); row++) {
            String line = lines.get(row);
            for (int col = 0; col < line.length(); col++) {
                char c = line.charAt(col);
                boolean upper = c == '█' || c == '▀';
                boolean lower = c == '█' || c == '▄';
                if (c != ' ' && !upper && !lower) {
                    throw new AssertionError("not a block character at line " + row + ", column " + col + ": '" + c + "'");
                }
                fill(image, col, row * 2, upper);
                fill(image, col, row * 2 + 1, lower);
            }
        }
        try {
            Path png = Files.createTempFile("wgf-qr-", ".png");
            try {
                ImageIO.write(image, "png", png.toFile());
                // Its stderr apart: zbar's optional D-Bus notice is no part of the data.
                Path errors = Files.createTempFile("wgf-qr-", ".err");
                Process zbar = new ProcessBuilder("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", png.toString())
                        .redirectError(errors.toFile()).start();
                String out = new String(zbar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                boolean done = zbar.waitFor(30, TimeUnit.SECONDS);
                String stderr = Files.readString(errors);
                Files.deleteIfExists(errors);
                if (!done || zbar.exitValue() != 0) {
                    throw new AssertionError("zbarimg found no QR code (exit " + (done ? zbar.exitValue() : "timeout") + "): " + out + stderr);
                }
                // zbarimg ends each symbol's data with a newline of its own.
                return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
            } finally {
                Files.deleteIfExists(png);
            }
        } catch (IOException e) {
            throw new AssertionError("zbarimg could not run (scripts/setup.sh installs zbar-tools): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void fill(BufferedImage image, int moduleX, int moduleY, boolean light) {
        int rgb = light ? 0xFFFFFF : 0x000000;
        for (int y = 0; y < SCALE; y++) {
            for (int x = 0; x < SCALE; x++) {
                image.setRGB((BACKGROUND + moduleX) * SCALE + x, (BACKGROUND + moduleY) * SCALE + y, rgb);
            }
        }
    }
}
