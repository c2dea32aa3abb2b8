package dev.wgforward.provider.host.wireguard;

import java.util.Objects;

/**
 * A WireGuard key pair, both halves in the base64 form {@code wg genkey} / {@code wg pubkey}
 * print.
 */
public record WgKeyPair(String privateKey, String publicKey) {

    public WgKeyPair {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
    }

    /** Leaves the private key out, so that logging a key pair can't leak it. */
    @Override
    public String toString() {
        return "WgKeyPair[privateKey=<redacted>, publicKey=" + publicKey + "]";
    }
}
