package dev.wgforward.provider.host.ssh;

import com.hierynomus.sshj.common.KeyDecryptionFailedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.userauth.keyprovider.FileKeyProvider;
import net.schmizz.sshj.userauth.keyprovider.KeyFormat;
import net.schmizz.sshj.userauth.keyprovider.KeyProviderUtil;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;

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

    private static final List<Factory.Named<FileKeyProvider>> FORMATS = new DefaultConfig().getFileKeyProviderFactories();
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
        provider.init(text, null, passphrase.map(PrivateKeys::passwordFinder).orElse(null));
        try {
            return new KeyPair(provider.getPublic(), provider.getPrivate());
        } catch (IOException | RuntimeException e) {
            boolean encrypted = isEncrypted(text, format, e);
            if (encrypted && passphrase.isEmpty()) {
                throw new UnreadableKeyException(Problem.ENCRYPTED_WITHOUT_PASSPHRASE,
                        "could not be read: it is encrypted, so set privateKeyPassword to its passphrase");
            }
            if (encrypted) {
                throw new UnreadableKeyException(Problem.WRONG_PASSPHRASE,
                        "could not be read with privateKeyPassword: is the passphrase right?");
            }
            throw new UnreadableKeyException(Problem.DAMAGED, "could not be read as " + describe(format)
                    + " private key: is it complete, with its -----BEGIN and -----END lines and nothing changed in between,"
                    + " and of a type SSH uses (ed25519, ecdsa or rsa)?");
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

    private static PasswordFinder passwordFinder(String secret) {
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
