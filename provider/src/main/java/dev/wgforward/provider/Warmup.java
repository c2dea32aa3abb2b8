package dev.wgforward.provider;

import dev.wgforward.provider.host.ssh.HostKeys;
import dev.wgforward.provider.host.ssh.PrivateKeys;
import dev.wgforward.provider.host.wireguard.WgKeys;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import net.schmizz.sshj.common.Buffer;

/**
 * Runs, on a thread of its own while the plugin starts and the engine sets it up, the first use
 * of the cryptography that the first requests need: reading an SSH private key (sshj registers
 * BouncyCastle, some 560 classes, on first use), an SSH public key (host keys), and X25519
 * (WireGuard public keys). Cold, these cost a no-change preview 0.3–0.9 s on the critical path
 * (measured: a connection's private key read at Construct's Check, X25519 at the interface's
 * Check); warm, a few milliseconds. The start-up archive loads the classes, but their static
 * initialisation and first runs still happen in each process.
 *
 * <p>Only public test vectors are used (RFC 8032 section 7.1 test 1, RFC 7748 section 5.2), never a
 * key of a user's. {@code -Dwgforward.warmup=false} turns it off (the bench compares both).
 */
final class Warmup {
    private Warmup() {}

    // RFC 8032, 7.1, TEST 1: an Ed25519 secret key and its public key.
    private static final String ED25519_SECRET = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private static final String ED25519_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    // RFC 7748, 5.2: the first X25519 test vector's scalar.
    private static final String X25519_SCALAR = "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4";

    /** Starts the warm-up unless turned off; never fails the plugin. */
    static void start() {
        if (!Boolean.parseBoolean(System.getProperty("wgforward.warmup", "true"))) {
            return;
        }
        Thread thread = new Thread(Warmup::run, "wgforward-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    static void run() {
        try {
            // The protocol's message descriptors, built from their embedded definitions when a class
            // is first used: the engine's first calls (DiffConfig's answer, Construct's registrations)
            // would otherwise wait for them.
            pulumirpc.Provider.getDescriptor();
            pulumirpc.Resource.getDescriptor();
            com.google.protobuf.StructProto.getDescriptor();
            HexFormat hex = HexFormat.of();
            HostKeys.parseLines("ssh-ed25519 " + Base64.getEncoder().encodeToString(publicBlob()), "warm-up");
            PrivateKeys.problem(testVectorKey(), Optional.empty(), false);
            WgKeys.publicKeyOf(Base64.getEncoder().encodeToString(hex.parseHex(X25519_SCALAR)));
        } catch (RuntimeException | LinkageError e) {
            // Only a head start: whatever failed here fails, or works, where it is really used.
        }
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
