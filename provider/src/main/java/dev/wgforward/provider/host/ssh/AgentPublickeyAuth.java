package dev.wgforward.provider.host.ssh;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.AuthParams;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;

/**
 * The "publickey" method (RFC 4252 section 7) for one key held by an ssh-agent. sshj's own
 * AuthPublickey needs the private key in memory; here the agent signs instead.
 *
 * <p>Like sshj's method it first sends an unsigned query and asks the agent for a signature
 * only once the server has said the key is acceptable, so unrelated keys in the agent are
 * never used to sign anything.
 */
final class AgentPublickeyAuth extends AbstractAuthMethod {

    private final SshAgentClient agent;
    private final SshAgentClient.Identity identity;
    private Deque<String> algorithms;

    AgentPublickeyAuth(SshAgentClient agent, SshAgentClient.Identity identity) {
        super("publickey");
        this.agent = agent;
        this.identity = identity;
    }

    /**
     * The signature algorithms to offer for this key, best first. For RSA keys only the SHA-2
     * variants: ssh-rsa (SHA-1) is refused by current servers and would just burn one of the
     * server's few allowed authentication attempts.
     */
    static List<String> algorithmsFor(String keyType) {
        if ("ssh-rsa".equals(keyType)) {
            return List.of("rsa-sha2-512", "rsa-sha2-256");
        }
        return List.of(keyType);
    }

    static int signFlags(String algorithm) {
        return switch (algorithm) {
            case "rsa-sha2-512" -> SshAgentClient.SSH_AGENT_RSA_SHA2_512;
            case "rsa-sha2-256" -> SshAgentClient.SSH_AGENT_RSA_SHA2_256;
            default -> 0;
        };
    }

    @Override
    public void init(AuthParams params) {
        super.init(params);
        algorithms = new ArrayDeque<>(algorithmsFor(identity.keyType()));
    }

    /** The server refused this algorithm; try the next one for the same key, if any. */
    @Override
    public boolean shouldRetry() {
        algorithms.poll();
        return !algorithms.isEmpty();
    }

    /** The unsigned query: "would you accept this key?". */
    @Override
    protected SSHPacket buildReq() throws UserAuthException {
        return request(false);
    }

    @Override
    public void handle(Message message, SSHPacket packet) throws UserAuthException, TransportException {
        if (message != Message.USERAUTH_60) { // SSH_MSG_USERAUTH_PK_OK for this method
            super.handle(message, packet);
            return;
        }
        String algorithm = algorithms.peek();
        SSHPacket signed = request(true);
        // What is signed: the session id, then the request itself up to the signature.
        byte[] data = new Buffer.PlainBuffer()
                .putString(params.getTransport().getSessionID())
                .putBuffer(signed)
                .getCompactData();
        try {
            signed.putBytes(agent.sign(identity.publicKeyBlob(), data, signFlags(algorithm)));
        } catch (IOException e) {
            throw new UserAuthException(e.getMessage() + " (key " + describeKey() + ")", e);
        }
        params.getTransport().write(signed);
    }

    private SSHPacket request(boolean signed) throws UserAuthException {
        return super.buildReq()
                .putBoolean(signed)
                .putString(algorithms.peek())
                .putBytes(identity.publicKeyBlob());
    }

    String describeKey() {
        String comment = identity.comment().isBlank() ? "" : " " + identity.comment();
        return identity.keyType() + comment;
    }

    @Override
    public String toString() {
        return "ssh-agent key " + describeKey();
    }
}
