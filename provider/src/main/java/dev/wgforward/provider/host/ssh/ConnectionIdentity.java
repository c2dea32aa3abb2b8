package dev.wgforward.provider.host.ssh;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Who an authenticated connection is, for sharing it: every hop from the outermost jump host to
 * this one, each with its endpoint, login user and credentials. Two callers share a connection
 * only when all of it is equal, so a login made with one set of credentials never serves a caller
 * holding other ones. The credentials are kept only as a SHA-256 digest: the key never holds (or
 * prints) a secret. Dial settings (limits, delays, timeouts) say how to get a connection, not
 * whose it is, and are left out; the host key is matched per connection (see {@link
 * PooledConnection#accepts}).
 */
record ConnectionIdentity(List<Hop> hops) {

    /** One hop: {@code user@host:port} and the digest of everything it may log in with. */
    record Hop(String host, int port, String user, String credentialsDigest) {
        @Override
        public String toString() {
            return user + "@" + host + ":" + port + " (credentials " + credentialsDigest.substring(0, 12) + ")";
        }
    }

    ConnectionIdentity {
        hops = List.copyOf(hops);
        if (hops.isEmpty()) {
            throw new IllegalArgumentException("a connection has at least one hop");
        }
    }

    /**
     * The identity of the connection to {@code hops.get(last)} through the hops before it.
     *
     * @param agentSocket per hop: the ssh-agent socket it would use (a stray SSH_AUTH_SOCK resolved)
     */
    static ConnectionIdentity of(List<SshTarget> hops, List<Optional<String>> agentSocket) {
        List<Hop> identity = new ArrayList<>();
        for (int i = 0; i < hops.size(); i++) {
            SshTarget hop = hops.get(i);
            identity.add(new Hop(hop.host(), hop.port(), hop.user(), digest(hop, agentSocket.get(i))));
        }
        return new ConnectionIdentity(identity);
    }

    /** The identity of the jump host's connection this one runs through, if any. */
    Optional<ConnectionIdentity> via() {
        return hops.size() == 1 ? Optional.empty() : Optional.of(new ConnectionIdentity(hops.subList(0, hops.size() - 1)));
    }

    private static String digest(SshTarget hop, Optional<String> agentSocket) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            // Length-prefixed and tagged, so that no two different sets of fields feed the same bytes.
            field(sha, "privateKey", hop.privateKey());
            field(sha, "privateKeyPassword", hop.privateKeyPassword());
            field(sha, "password", hop.password());
            field(sha, "agentSocket", agentSocket);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static void field(MessageDigest sha, String name, Optional<String> value) {
        byte[] tag = name.getBytes(StandardCharsets.UTF_8);
        sha.update((byte) tag.length);
        sha.update(tag);
        if (value.isEmpty()) {
            sha.update((byte) 0);
            return;
        }
        byte[] bytes = value.get().getBytes(StandardCharsets.UTF_8);
        sha.update((byte) 1);
        sha.update(new byte[] {(byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16), (byte) (bytes.length >>> 8),
                (byte) bytes.length});
        sha.update(bytes);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>(hops.stream().map(Hop::toString).toList());
        java.util.Collections.reverse(parts);
        return String.join(" via ", parts);
    }
}
