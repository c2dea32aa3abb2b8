package dev.wgforward.provider.host.ssh;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

/** SSH public keys as one-line text ({@code ssh-ed25519 AAAA...}) and their fingerprints. */
public final class HostKeys {
    private HostKeys() {}

    /**
     * The OpenSSH-style fingerprint ({@code SHA256:...}, as {@code ssh-keygen -l} prints it) of a
     * public key line in authorized_keys, known_hosts or ssh-keyscan format.
     */
    public static String fingerprint(String publicKeyLine) {
        return parseLine(publicKeyLine, "public key").fingerprint();
    }

    /** One public key: its algorithm name and its wire-format blob in canonical base64. */
    record HostKey(String type, String base64) {

        static HostKey of(PublicKey key) {
            byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
            return new HostKey(KeyType.fromKey(key).toString(), Base64.getEncoder().encodeToString(blob));
        }

        byte[] blob() {
            return Base64.getDecoder().decode(base64);
        }

        /** Without a comment: the form stored and compared. */
        String line() {
            return type + " " + base64;
        }

        String fingerprint() {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob());
                return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        String describe() {
            return fingerprint() + " (" + type + ")";
        }
    }

    /**
     * Validates and normalizes public key text: every non-blank, non-comment line must hold a
     * supported public key (authorized_keys, known_hosts or ssh-keyscan format).
     *
     * @param what names the input in error messages, such as "connection.hostKey"
     * @return one {@code type base64} line per key, without comments
     * @throws IllegalArgumentException naming {@code what}; the text itself is never echoed,
     *     since a private key pasted by mistake must not end up in an error message
     */
    public static List<String> parseLines(String text, String what) {
        return parseKeys(text, what).stream().map(HostKey::line).toList();
    }

    static List<HostKey> parseKeys(String text, String what) {
        List<HostKey> keys = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                keys.add(parseLine(trimmed, what));
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(what + " contains no public key");
        }
        return keys;
    }

    static String describeLines(String text) {
        return parseKeys(text, "hostKey").stream().map(HostKey::describe).collect(Collectors.joining(", "));
    }

    /**
     * Finds "type base64" anywhere in the line, so that authorized_keys lines (with options),
     * known_hosts lines and ssh-keyscan output all work; the blob's own type must match.
     */
    static HostKey parseLine(String line, String what) {
        String[] tokens = line.strip().split("\\s+");
        for (int i = 0; i + 1 < tokens.length; i++) {
            byte[] blob = decodeBase64(tokens[i + 1]);
            if (blob != null && tokens[i].equals(embeddedType(blob))) {
                try {
                    PublicKey key = new Buffer.PlainBuffer(blob).readPublicKey();
                    return HostKey.of(key);
                } catch (Buffer.BufferException | RuntimeException e) {
                    throw new IllegalArgumentException(
                            what + " holds a " + tokens[i] + " key that cannot be decoded or is not supported");
                }
            }
        }
        throw new IllegalArgumentException(
                what + " is not a public key line (expected e.g. 'ssh-ed25519 AAAA...', as in authorized_keys)");
    }

    private static byte[] decodeBase64(String token) {
        try {
            return Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The key blob starts with its own algorithm name as an SSH string. */
    static String embeddedType(byte[] blob) {
        if (blob.length < 4) {
            return null;
        }
        int length = ((blob[0] & 0xff) << 24) | ((blob[1] & 0xff) << 16) | ((blob[2] & 0xff) << 8) | (blob[3] & 0xff);
        if (length <= 0 || length > blob.length - 4 || length > 64) {
            return null;
        }
        return new String(blob, 4, length, StandardCharsets.US_ASCII);
    }
}
