package dev.wgforward.provider.host.ssh;

import java.util.Arrays;
import java.util.List;

/**
 * Which host keys a connection accepts. Pinning is the default whenever a key is known: an
 * unknown host key means either a rebuilt host or someone in the middle, and only the user can
 * tell which.
 */
public sealed interface HostKeyPolicy permits HostKeyPolicy.Pinned, HostKeyPolicy.TrustOnFirstUse {

    /** Accepts only these keys (authorized_keys, known_hosts or ssh-keyscan lines). */
    static HostKeyPolicy pinned(String... publicKeyLines) {
        return new Pinned(Arrays.asList(publicKeyLines));
    }

    /** Accepts whatever key the host presents; {@link HostSession#hostKey()} reports it. */
    static HostKeyPolicy trustOnFirstUse() {
        return new TrustOnFirstUse();
    }

    /** Pinned to {@link SshTarget#hostKey()} when it is set, trust-on-first-use otherwise. */
    static HostKeyPolicy forTarget(SshTarget target) {
        return target.hostKey().map(HostKeyPolicy::pinned).orElseGet(HostKeyPolicy::trustOnFirstUse);
    }

    /** @param keys public key lines; stored normalized to {@code type base64}, without comments */
    record Pinned(List<String> keys) implements HostKeyPolicy {
        public Pinned {
            keys = keys.stream()
                    .flatMap(text -> HostKeys.parseLines(text, "pinned host key").stream())
                    .distinct()
                    .toList();
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("pinning needs at least one host key");
            }
        }
    }

    record TrustOnFirstUse() implements HostKeyPolicy {}
}
