package dev.wgforward.provider.resources;

import dev.wgforward.provider.check.Validators;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.host.ssh.HostKeys;
import dev.wgforward.provider.host.ssh.SshTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The schema's {@code Connection} object, as resources receive it (defaults applied at Check). */
public record ConnectionArgs(String host, Integer port, String user, String privateKey, String privateKeyPassword,
        String password, String agentSocketPath, String hostKey, ConnectionArgs proxy, Integer dialErrorLimit,
        Integer dialRetryDelay, Integer perDialTimeout) {

    private static final int MAX_PROXY_HOPS = 8;

    /** Validation failures, with property paths under {@code path} (e.g. {@code connection}). */
    public List<CheckFailure> check(String path) {
        List<CheckFailure> failures = new ArrayList<>();
        check(path, 0, failures);
        return failures;
    }

    private void check(String path, int depth, List<CheckFailure> failures) {
        if (host != null) {
            Validators.hostname(host).ifPresent(r -> failures.add(new CheckFailure(path + ".host", r)));
        }
        if (port != null) {
            Validators.port(port).ifPresent(r -> failures.add(new CheckFailure(path + ".port", r)));
        }
        if (user != null && !user.matches("[a-z_][a-z0-9_.-]{0,31}")) {
            failures.add(new CheckFailure(path + ".user",
                    "must be a Linux user name (lower-case letters, digits, '_', '.', '-'; at most 32), got '" + user + "'"));
        }
        if (hostKey != null && !hostKey.isEmpty()) {
            try {
                HostKeys.parseLines(hostKey, path + ".hostKey");
            } catch (IllegalArgumentException e) {
                failures.add(new CheckFailure(path + ".hostKey", e.getMessage()
                        + "; give the host's public key as in authorized_keys, e.g. the output of"
                        + " `ssh-keyscan -t ed25519 HOST` without the host name"));
            }
        }
        if (dialErrorLimit != null && dialErrorLimit != -1 && dialErrorLimit < 1) {
            failures.add(new CheckFailure(path + ".dialErrorLimit", "must be at least 1, or -1 for no limit; got " + dialErrorLimit));
        }
        if (dialRetryDelay != null && (dialRetryDelay < 0 || dialRetryDelay > 3600)) {
            failures.add(new CheckFailure(path + ".dialRetryDelay", "must be 0 to 3600 seconds; got " + dialRetryDelay));
        }
        if (perDialTimeout != null && (perDialTimeout < 1 || perDialTimeout > 3600)) {
            failures.add(new CheckFailure(path + ".perDialTimeout", "must be 1 to 3600 seconds; got " + perDialTimeout));
        }
        if (agentSocketPath != null && (agentSocketPath.contains("\n") || agentSocketPath.contains("\0"))) {
            failures.add(new CheckFailure(path + ".agentSocketPath", "must be a single-line path"));
        }
        if (proxy != null) {
            if (depth >= MAX_PROXY_HOPS) {
                failures.add(new CheckFailure(path + ".proxy", "at most " + MAX_PROXY_HOPS + " jump hosts are supported"));
            } else {
                proxy.check(path + ".proxy", depth + 1, failures);
            }
        }
    }

    /** The SSH layer's view; call only on checked, known inputs. */
    public SshTarget toTarget() {
        SshTarget.Builder b = SshTarget.builder(host)
                .port(port == null ? SshTarget.DEFAULT_PORT : port)
                .user(user == null ? SshTarget.DEFAULT_USER : user)
                .dialErrorLimit(dialErrorLimit == null ? SshTarget.DEFAULT_DIAL_ERROR_LIMIT : dialErrorLimit)
                .dialRetryDelay(dialRetryDelay == null ? SshTarget.DEFAULT_DIAL_RETRY_DELAY : Duration.ofSeconds(dialRetryDelay))
                .perDialTimeout(perDialTimeout == null ? SshTarget.DEFAULT_PER_DIAL_TIMEOUT : Duration.ofSeconds(perDialTimeout));
        Optional.ofNullable(privateKey).ifPresent(b::privateKey);
        Optional.ofNullable(privateKeyPassword).ifPresent(b::privateKeyPassword);
        Optional.ofNullable(password).ifPresent(b::password);
        Optional.ofNullable(agentSocketPath).ifPresent(b::agentSocketPath);
        Optional.ofNullable(hostKey).ifPresent(b::hostKey);
        if (proxy != null) {
            b.proxy(proxy.toTarget());
        }
        return b.build();
    }

    /** Whether two connections reach the same machine (what decides replace vs update). */
    public String endpoint() {
        return host + ":" + (port == null ? 22 : port);
    }
}
