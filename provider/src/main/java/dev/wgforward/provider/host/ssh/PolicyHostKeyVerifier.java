package dev.wgforward.provider.host.ssh;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import net.schmizz.sshj.transport.verification.HostKeyVerifier;

/**
 * Applies a {@link HostKeyPolicy} to one hop and remembers what the host presented, so that a
 * rejected key becomes a {@link HostKeyMismatchException} instead of sshj's generic transport
 * error, and an accepted one can be reported for pinning.
 */
final class PolicyHostKeyVerifier implements HostKeyVerifier {
    private final HostKeyPolicy policy;
    private volatile String presentedKey;
    private volatile boolean rejected;

    PolicyHostKeyVerifier(HostKeyPolicy policy) {
        this.policy = policy;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        String line;
        try {
            line = HostKeys.HostKey.of(key).line();
        } catch (RuntimeException e) {
            rejected = true; // a key we cannot even encode cannot match a pin
            return false;
        }
        presentedKey = line;
        boolean accepted = !(policy instanceof HostKeyPolicy.Pinned pinned) || pinned.keys().contains(line);
        rejected = !accepted;
        return accepted;
    }

    /**
     * Asks the server for the pinned key's algorithm first: a host usually has several keys,
     * and one of another type would be a false mismatch.
     */
    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        Set<String> algorithms = new LinkedHashSet<>();
        if (policy instanceof HostKeyPolicy.Pinned pinned) {
            for (String key : pinned.keys()) {
                String type = key.substring(0, key.indexOf(' '));
                if ("ssh-rsa".equals(type)) {
                    // An RSA host key signs under these names; the key type alone matches none.
                    algorithms.addAll(List.of("rsa-sha2-512", "rsa-sha2-256"));
                }
                algorithms.add(type);
            }
        }
        return new ArrayList<>(algorithms);
    }

    /** The key the host presented in this attempt, or null if key exchange did not get that far. */
    String presentedKey() {
        return presentedKey;
    }

    boolean rejected() {
        return rejected;
    }

    /** Pinned keys for the mismatch message; empty under trust-on-first-use. */
    List<String> expectedKeys() {
        return policy instanceof HostKeyPolicy.Pinned pinned ? pinned.keys() : List.of();
    }
}
