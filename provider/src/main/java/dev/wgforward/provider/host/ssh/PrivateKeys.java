package dev.wgforward.provider.host.ssh;

import com.hierynomus.sshj.common.KeyDecryptionFailedException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.hierynomus.sshj.userauth.keyprovider.OpenSSHKeyV1KeyFile;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.userauth.keyprovider.FileKeyProvider;
import net.schmizz.sshj.userauth.keyprovider.KeyFormat;
import net.schmizz.sshj.userauth.keyprovider.KeyProviderUtil;
import net.schmizz.sshj.userauth.keyprovider.OpenSSHKeyFile;
import net.schmizz.sshj.userauth.keyprovider.PKCS8KeyFile;
import net.schmizz.sshj.userauth.keyprovider.PuTTYKeyFile;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;
import org.bouncycastle.openssl.bc.BcPEMDecryptorProvider;

/**
 * SSH private keys as users paste them (OpenSSH, PEM, PKCS#8 or PuTTY text), read with sshj's
 * key formats. The SSH layer reads a connection's key here before dialing, and Check reads it
 * here too, so a key that will not load is refused at preview for the very same reason.
 *
 * <p>Reasons are phrased to follow the name of the field ({@code privateKey ...}) and never
 * contain the key or its passphrase.
 */
public final class PrivateKeys {
    private PrivateKeys() {}

    /**
     * The key formats of sshj's DefaultConfig, listed here rather than taken from a DefaultConfig:
     * building one also sets up every cipher, key exchange and MAC (and registers Bouncy Castle),
     * which Check at preview, the only other reader, never needs (~20 ms of a cold start).
     * PrivateKeysTest checks that the two lists stay the same.
     */
    static final List<Factory.Named<FileKeyProvider>> FORMATS = List.of(
            new OpenSSHKeyV1KeyFile.Factory(), new PKCS8KeyFile.Factory(), new OpenSSHKeyFile.Factory(), new PuTTYKeyFile.Factory());
    private static final Pattern OPENSSH_BODY = Pattern.compile(
            "-----BEGIN OPENSSH PRIVATE KEY-----(.*?)-----END OPENSSH PRIVATE KEY-----", Pattern.DOTALL);
    private static final byte[] OPENSSH_MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);

    /** Why a key can't be used. */
    public enum Problem {
        NOT_A_PRIVATE_KEY,
        ENCRYPTED_WITHOUT_PASSPHRASE,
        WRONG_PASSPHRASE,
        DAMAGED
    }

    /** A key that can't be used: {@link #problem()} says why, the message (after "privateKey") how to fix it. */
    public static final class UnreadableKeyException extends RuntimeException {
        private final Problem problem;

        UnreadableKeyException(Problem problem, String reason) {
            super(reason);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    /**
     * Reads and, with {@code passphrase}, decrypts a private key.
     *
     * @throws UnreadableKeyException when the text is no private key sshj reads, is damaged, is
     *     encrypted and no passphrase is given, or the passphrase is wrong
     */
    public static KeyPair read(String text, Optional<String> passphrase) {
        KeyFormat format = format(text);
        FileKeyProvider provider = Factory.Named.Util.create(FORMATS, format.toString());
        if (provider == null) {
            throw new UnreadableKeyException(Problem.NOT_A_PRIVATE_KEY, notAKey(text));
        }
        if (format == KeyFormat.PKCS8) {
            refuseWhatSshjCannotParseSafely(text, passphrase);
        }
        provider.init(text, null, passphrase.map(PrivateKeys::passwordFinder).orElse(null));
        try {
            return new KeyPair(provider.getPublic(), provider.getPrivate());
        } catch (IOException | RuntimeException e) {
            boolean encrypted = isEncrypted(text, format, e);
            if (encrypted && passphrase.isEmpty()) {
                throw encryptedWithoutPassphrase();
            }
            if (encrypted) {
                throw wrongPassphrase();
            }
            throw damaged(format);
        }
    }

    private static UnreadableKeyException encryptedWithoutPassphrase() {
        return new UnreadableKeyException(Problem.ENCRYPTED_WITHOUT_PASSPHRASE,
                "could not be read: it is encrypted, so set privateKeyPassword to its passphrase");
    }

    private static UnreadableKeyException wrongPassphrase() {
        return new UnreadableKeyException(Problem.WRONG_PASSPHRASE,
                "could not be read with privateKeyPassword: is the passphrase right?");
    }

    private static UnreadableKeyException damaged(KeyFormat format) {
        return new UnreadableKeyException(Problem.DAMAGED, "could not be read as " + describe(format)
                + " private key: is it complete, with its -----BEGIN and -----END lines and nothing changed in between,"
                + " and of a type SSH uses (ed25519, ecdsa or rsa)?");
    }

    // ---------------------------------------------------------------- PEM bodies sshj must not parse

    private static final String PROC_TYPE_ENCRYPTED = "Proc-Type: 4,ENCRYPTED";
    private static final Pattern DEK_INFO = Pattern.compile("^DEK-Info: ([A-Z0-9\\-]+),([A-F0-9]{16,32})$");
    /** PEM types whose body sshj parses with asn-one alone, no JDK parser first; in them a tag always wraps DER. */
    private static final List<String> TRADITIONAL_TYPES = List.of(
            "-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN EC PRIVATE KEY-----", "-----BEGIN DSA PRIVATE KEY-----");
    private static final List<String> PKCS8_TYPES = List.of(
            "-----BEGIN PRIVATE KEY-----", "-----BEGIN ENCRYPTED PRIVATE KEY-----");

    /** A PEM key as sshj's reader splits it: the BEGIN line, the "Name: value" headers and the decoded body. */
    private record Pem(String type, List<String> headers, byte[] body) {}

    /**
     * sshj parses PEM keys (PKCS#1, SEC1, PKCS#8) with asn-one, which allocates whatever length a
     * DER header claims before it reads a byte of it. Bytes that are not the key's DER can claim
     * up to 2 GiB, and the OutOfMemoryError ends the provider (at preview, too: Check reads the key):
     * an encrypted body, which sshj reads as plain DER when no passphrase is given; what a wrong
     * passphrase decrypts to, the few times it ends in valid padding; a damaged body. Such keys are
     * refused here, for the reason sshj would give, before sshj sees them.
     */
    private static void refuseWhatSshjCannotParseSafely(String text, Optional<String> passphrase) {
        Optional<Pem> parsed = pem(text);
        if (parsed.isEmpty()) {
            return; // sshj says why
        }
        Pem pem = parsed.get();
        boolean tagsWrapDer = TRADITIONAL_TYPES.contains(pem.type());
        if (!pem.headers().contains(PROC_TYPE_ENCRYPTED)) {
            if (!Der.lengthsFit(pem.body(), tagsWrapDer)) {
                throw damaged(KeyFormat.PKCS8);
            }
            return;
        }
        if (passphrase.isEmpty()) {
            throw encryptedWithoutPassphrase();
        }
        decrypt(pem, passphrase.get()).ifPresent(der -> {
            if (!Der.lengthsFit(der, tagsWrapDer)) {
                throw wrongPassphrase();
            }
        });
    }

    /** Splits PEM text line by line as sshj's reader does; empty if sshj would not find a key in it. */
    private static Optional<Pem> pem(String text) {
        try (BufferedReader lines = new BufferedReader(new StringReader(text))) {
            String type = lines.readLine();
            while (type != null && !TRADITIONAL_TYPES.contains(type) && !PKCS8_TYPES.contains(type)) {
                type = lines.readLine();
            }
            if (type == null) {
                return Optional.empty();
            }
            List<String> headers = new ArrayList<>();
            StringBuilder body = new StringBuilder();
            for (String line = lines.readLine(); line != null && !line.startsWith("-----END"); line = lines.readLine()) {
                if (line.indexOf(':') >= 0) {
                    headers.add(line);
                } else {
                    body.append(line);
                }
            }
            return Optional.of(new Pem(type, headers, Base64.getDecoder().decode(body.toString())));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty(); // sshj fails on it too
        }
    }

    /**
     * The body decrypted with the passphrase as sshj decrypts it (Bouncy Castle's traditional
     * OpenSSL decryption); empty when that fails, as sshj will then fail for the same reason.
     */
    private static Optional<byte[]> decrypt(Pem pem, String passphrase) {
        for (String header : pem.headers()) {
            Matcher dekInfo = DEK_INFO.matcher(header);
            if (dekInfo.matches()) {
                try {
                    return Optional.of(new BcPEMDecryptorProvider(passphrase.toCharArray()).get(dekInfo.group(1))
                            .decrypt(pem.body(), HexFormat.of().parseHex(dekInfo.group(2))));
                } catch (Exception e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Just enough DER to know what asn-one (sshj's ASN.1 decoder) would allocate. */
    private static final class Der {
        /** Keys nest three deep; far deeper is noise, and would overflow asn-one's stack (and this one's). */
        private static final int MAX_DEPTH = 32;

        private Der() {}

        /**
         * Whether no length that asn-one may read from {@code der} claims more bytes than follow
         * it. asn-one reads the first element, and then the elements inside every SEQUENCE or SET
         * (universal constructed types); and, lazily, the element inside a tagged one. With
         * {@code tagsWrapDer} the content of every non-universal tag must be elements too (true of
         * PKCS#1 and SEC1, whose tags are explicit); without it, as in PKCS#8, whose implicit tags
         * hold raw bytes, that content is not looked into (sshj parses PKCS#8 with the JDK first,
         * which checks its structure).
         */
        static boolean lengthsFit(byte[] der, boolean tagsWrapDer) {
            return element(der, 0, der.length, tagsWrapDer, 0) >= 0;
        }

        /** The end of the element at {@code pos}, or -1 if it claims more than {@code end} leaves. */
        private static int element(byte[] b, int pos, int end, boolean tagsWrapDer, int depth) {
            if (pos >= end || depth > MAX_DEPTH) {
                return -1;
            }
            int tag = b[pos++] & 0xff;
            if ((tag & 0x1f) == 0x1f) { // high tag number: bytes follow while their top bit is set
                do {
                    if (pos >= end) {
                        return -1;
                    }
                } while ((b[pos++] & 0x80) != 0);
            }
            if (pos >= end) {
                return -1;
            }
            int first = b[pos++] & 0xff;
            long length = first;
            if (first >= 0x80) {
                int count = first & 0x7f;
                if (count == 0 || count > 4 || end - pos < count) {
                    return -1; // indefinite, or more than an int: asn-one cannot read it right either
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (b[pos++] & 0xff);
                }
            }
            if (length > end - pos) {
                return -1;
            }
            int contentEnd = pos + (int) length;
            boolean universal = (tag & 0xc0) == 0;
            boolean constructed = (tag & 0x20) != 0;
            if (universal ? constructed : tagsWrapDer) {
                while (pos < contentEnd) {
                    pos = element(b, pos, contentEnd, tagsWrapDer, depth + 1);
                    if (pos < 0) {
                        return -1;
                    }
                }
            }
            return contentEnd;
        }
    }

    /**
     * Why the key can't be used, empty if it can. {@code passphraseUnknown}: the passphrase is
     * not known yet (preview), so an encrypted key is not refused for the lack of one.
     */
    public static Optional<String> problem(String text, Optional<String> passphrase, boolean passphraseUnknown) {
        try {
            read(text, passphrase);
            return Optional.empty();
        } catch (UnreadableKeyException e) {
            if (passphraseUnknown && (e.problem() == Problem.ENCRYPTED_WITHOUT_PASSPHRASE)) {
                return Optional.empty();
            }
            return Optional.of(e.getMessage());
        }
    }

    private static KeyFormat format(String text) {
        try {
            return KeyProviderUtil.detectKeyFileFormat(text, false);
        } catch (IOException | RuntimeException e) {
            return KeyFormat.Unknown;
        }
    }

    /** Says what the text looks like instead, without showing any of it. */
    private static String notAKey(String text) {
        String trimmed = text.strip();
        if (trimmed.matches("(ssh-|ecdsa-|sk-)\\S+ [A-Za-z0-9+/=]+( .*)?")) {
            return "is a public key; give the private key instead (the file without .pub, such as ~/.ssh/id_ed25519)";
        }
        if (!trimmed.contains("\n") && (trimmed.startsWith("/") || trimmed.startsWith("~") || trimmed.startsWith("."))) {
            return "looks like a file name; give the key's text instead (in Pulumi YAML, for example,"
                    + " fn::readFile: ~/.ssh/id_ed25519)";
        }
        return "is not an SSH private key: give the text of a private key file in OpenSSH, PEM or PKCS#8 format"
                + " (from -----BEGIN ... PRIVATE KEY----- to -----END ... PRIVATE KEY-----)";
    }

    private static String describe(KeyFormat format) {
        return switch (format) {
            case OpenSSHv1 -> "an OpenSSH";
            case PKCS8 -> "a PEM or PKCS#8";
            case PuTTY -> "a PuTTY";
            default -> "an SSH";
        };
    }

    /** Whether the key is encrypted, as its own text says (or, where it can't, sshj's failure to decrypt it). */
    private static boolean isEncrypted(String text, KeyFormat format, Exception failure) {
        return switch (format) {
            case OpenSSHv1 -> {
                String cipher = openSshCipher(text);
                yield cipher != null && !cipher.equals("none");
            }
            case PuTTY -> !text.contains("Encryption: none");
            default -> text.contains("ENCRYPTED") || failure instanceof KeyDecryptionFailedException;
        };
    }

    /** The cipher named in an OpenSSH key's header, "none" when it is not encrypted; null if unreadable. */
    private static String openSshCipher(String text) {
        Matcher body = OPENSSH_BODY.matcher(text);
        if (!body.find()) {
            return null;
        }
        try {
            ByteBuffer blob = ByteBuffer.wrap(Base64.getMimeDecoder().decode(body.group(1)));
            byte[] magic = new byte[OPENSSH_MAGIC.length];
            blob.get(magic);
            if (!java.util.Arrays.equals(magic, OPENSSH_MAGIC)) {
                return null;
            }
            byte[] cipher = new byte[blob.getInt()];
            blob.get(cipher);
            return new String(cipher, StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            return null;
        }
    }

    /** Answers sshj's passphrase prompt with {@code secret}, once (shared with the connector). */
    static PasswordFinder passwordFinder(String secret) {
        return new PasswordFinder() {
            @Override
            public char[] reqPassword(Resource<?> resource) {
                return secret.toCharArray(); // a fresh copy: sshj blanks it after use
            }

            @Override
            public boolean shouldRetry(Resource<?> resource) {
                return false; // the same password again would be rejected again
            }
        };
    }
}
