package dev.wgforward.provider.resources;

import dev.wgforward.provider.check.Validators;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.framework.CheckFailures;
import dev.wgforward.provider.framework.Unknowns;
import dev.wgforward.provider.host.ssh.HostKeys;
import dev.wgforward.provider.host.ssh.PrivateKeys;
import dev.wgforward.provider.host.ssh.SshTarget;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The schema's {@code Connection} object, as resources receive it (defaults applied at Check). */
public record ConnectionArgs(String host, Integer port, String user, String privateKey, String privateKeyPassword,
        String password, String agentSocketPath, String hostKey, ConnectionArgs proxy, Integer dialErrorLimit,
        Integer dialRetryDelay, Integer perDialTimeout) {

    private static final int MAX_PROXY_HOPS = 8;

    /**
     * Validation failures, with property paths under {@code path} (e.g. {@code connection}), which
     * is also where {@code unknowns} are looked up. Secret values (the key, passwords) are never
     * part of a reason.
     */
    public List<CheckFailure> check(String path, Unknowns unknowns) {
        CheckFailures failures = new CheckFailures();
        check(path, unknowns, 0, failures);
        return failures.list();
    }

    private void check(String path, Unknowns unknowns, int depth, CheckFailures failures) {
        failures.check(path + ".host", host, Validators::hostname)
                .check(path + ".port", port, p -> Validators.port(p))
                .check(path + ".user", user, Validators::userName)
                .check(path + ".dialErrorLimit", dialErrorLimit, limit -> Validators.dialErrorLimit(limit))
                .check(path + ".dialRetryDelay", dialRetryDelay, seconds -> Validators.dialRetryDelaySeconds(seconds))
                .check(path + ".perDialTimeout", perDialTimeout, seconds -> Validators.perDialTimeoutSeconds(seconds));
        if (hostKey != null && !hostKey.isEmpty()) {
            try {
                HostKeys.parseLines(hostKey, path + ".hostKey");
            } catch (IllegalArgumentException e) {
                failures.add(path + ".hostKey", e.getMessage()
                        + "; give the host's public key as in authorized_keys, e.g. the output of"
                        + " `ssh-keyscan -t ed25519 HOST` without the host name");
            }
        }
        // The key is read as the SSH layer will read it before dialing (an empty one counts as unset there).
        if (privateKey != null && !privateKey.isEmpty()) {
            Optional<String> passphrase = Optional.ofNullable(privateKeyPassword).filter(p -> !p.isEmpty());
            PrivateKeys.problem(privateKey, passphrase, unknowns.at(path + ".privateKeyPassword"))
                    .ifPresent(reason -> failures.add(path + ".privateKey", reason));
        }
        failures.check(path + ".agentSocketPath", agentSocketPath, Validators::singleLine);
        if (proxy != null) {
            if (depth >= MAX_PROXY_HOPS) {
                failures.add(path + ".proxy", "at most " + MAX_PROXY_HOPS + " jump hosts are supported");
            } else {
                proxy.check(path + ".proxy", unknowns, depth + 1, failures);
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
