/**
 * The SSH layer: reaching Linux hosts (directly or through jump hosts) and running root scripts
 * on them, built on sshj.
 *
 * <ul>
 *   <li>{@link dev.wgforward.provider.host.ssh.SshConnector#open} dials with retries for
 *       connection-level failures only, checks host keys ({@link
 *       dev.wgforward.provider.host.ssh.HostKeyPolicy}: pinned when a key is known), and
 *       authenticates with private key, password, then ssh-agent. A {@link
 *       dev.wgforward.provider.host.ssh.CancelToken} (the caller's cancellation and deadline)
 *       ends the dialing early.
 *   <li>{@link dev.wgforward.provider.host.ssh.HostSession} runs scripts as {@code sh -s} or
 *       {@code sudo -n sh -s} with the script on stdin, so no value ever appears on a command
 *       line, and writes files atomically with secret content passed the same way.
 *   <li>{@link dev.wgforward.provider.host.ssh.Redactor} hides secrets in everything reported.
 * </ul>
 *
 * <p>Nothing here knows about Pulumi, gRPC or protobuf.
 */
package dev.wgforward.provider.host.ssh;
