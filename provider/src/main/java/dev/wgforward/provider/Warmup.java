package dev.wgforward.provider;

import dev.wgforward.provider.host.ssh.HostKeys;
import dev.wgforward.provider.host.ssh.PrivateKeys;
import dev.wgforward.provider.host.wireguard.WgKeys;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import net.schmizz.sshj.common.Buffer;

/**
 * Runs, on threads of their own, the first use of what the first requests need, so that they do
 * not wait for it:
 *
 * <ul>
 *   <li>{@link #startCrypto}, first thing at start: reading an SSH public key (sshj registers
 *       Bouncy Castle on first use, some 560 classes and ~100 ms of CPU), an SSH private key, and
 *       X25519 (WireGuard public keys). Construct's Check reads the connections' keys some 30 ms
 *       after the handshake; started only then, the registration held it up ~150 ms (measured),
 *       while the JVM's own start leaves the second core mostly idle: started at once, the
 *       handshake comes ~45 ms later and Construct ~80 ms sooner (side by side, median of 10).
 *   <li>{@link #startProtocol}, after the handshake line: the protocol's message descriptors, which
 *       the engine's first calls (DiffConfig's answer, Construct's registrations) would otherwise
 *       build on their way.
 * </ul>
 *
 * <p>The start-up archive loads the classes, but their static initialisation and first runs still
 * happen in each process. Only public test vectors are used (RFC 8032 section 7.1 test 1, RFC 7748
 * section 5.2), never a key of a user's. {@code -Dwgforward.warmup=false} turns both off.
 */
final class Warmup {
    private Warmup() {}

    // RFC 8032, 7.1, TEST 1: an Ed25519 secret key and its public key.
    private static final String ED25519_SECRET = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private static final String ED25519_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    // RFC 7748, 5.2: the first X25519 test vector's scalar.
    private static final String X25519_SCALAR = "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4";

    /** Starts the cryptography's warm-up unless turned off; never fails the plugin. */
    static void startCrypto() {
        start("wgforward-warmup-crypto", Warmup::crypto);
    }

    /** Starts the protocol's warm-up unless turned off; never fails the plugin. */
    static void startProtocol() {
        start("wgforward-warmup-protocol", Warmup::protocol);
    }

    private static void start(String name, Runnable work) {
        if (!Boolean.parseBoolean(System.getProperty("wgforward.warmup", "true"))) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (RuntimeException | LinkageError e) {
                // Only a head start: whatever failed here fails, or works, where it is really used.
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    static void crypto() {
        HostKeys.parseLines("ssh-ed25519 " + Base64.getEncoder().encodeToString(publicBlob()), "warm-up");
        PrivateKeys.problem(testVectorKey(), Optional.empty(), false);
        WgKeys.publicKeyOf(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(X25519_SCALAR)));
    }

    static void protocol() {
        pulumirpc.Provider.getDescriptor();
        pulumirpc.Resource.getDescriptor();
        com.google.protobuf.StructProto.getDescriptor();
    }

    /** RFC 8032's test public key as SSH writes it (the blob of a known_hosts line or an authorized key). */
    private static byte[] publicBlob() {
        return new Buffer.PlainBuffer().putString("ssh-ed25519").putBytes(HexFormat.of().parseHex(ED25519_PUBLIC)).getCompactData();
    }

    /** RFC 8032's test key in OpenSSH's own format ({@code openssh-key-v1}, unencrypted), as ssh-keygen writes it. */
    static String testVectorKey() {
        HexFormat hex = HexFormat.of();
        byte[] secret = hex.parseHex(ED25519_SECRET);
        byte[] publicKey = hex.parseHex(ED25519_PUBLIC);
        byte[] secretAndPublic = new byte[64];
        System.arraycopy(secret, 0, secretAndPublic, 0, 32);
        System.arraycopy(publicKey, 0, secretAndPublic, 32, 32);
        Buffer.PlainBuffer inner = new Buffer.PlainBuffer().putUInt32(0x01020304L).putUInt32(0x01020304L)
                .putString("ssh-ed25519").putBytes(publicKey).putBytes(secretAndPublic).putString("warm-up");
        for (int pad = 1; inner.available() % 8 != 0; pad++) {
            inner.putByte((byte) pad);
        }
        byte[] magic = "openssh-key-v1\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Buffer.PlainBuffer outer = new Buffer.PlainBuffer().putRawBytes(magic).putString("none").putString("none").putString("")
                .putUInt32(1).putBytes(publicBlob()).putBytes(inner.getCompactData());
        return "-----BEGIN OPENSSH PRIVATE KEY-----\n" + Base64.getMimeEncoder(70, new byte[] {'\n'}).encodeToString(outer.getCompactData())
                + "\n-----END OPENSSH PRIVATE KEY-----\n";
    }
}
