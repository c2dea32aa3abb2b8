package dev.wgforward.provider.host.ssh;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import net.schmizz.sshj.common.Buffer;

/**
 * A minimal client for the ssh-agent protocol (draft-miller-ssh-agent) over the agent's Unix
 * domain socket: it lists identities and asks for signatures. The private keys never leave the
 * agent. Not thread-safe; one instance serves one authentication.
 */
final class SshAgentClient implements Closeable {

    static final int SSH_AGENT_FAILURE = 5;
    static final int SSH2_AGENTC_REQUEST_IDENTITIES = 11;
    static final int SSH2_AGENT_IDENTITIES_ANSWER = 12;
    static final int SSH2_AGENTC_SIGN_REQUEST = 13;
    static final int SSH2_AGENT_SIGN_RESPONSE = 14;

    /** Sign-request flags: without them an agent signs RSA with SHA-1, which servers refuse. */
    static final int SSH_AGENT_RSA_SHA2_256 = 2;
    static final int SSH_AGENT_RSA_SHA2_512 = 4;

    // Far above any real answer (a few KiB per key); stops a broken peer from making us
    // allocate gigabytes.
    private static final int MAX_MESSAGE = 256 * 1024;

    /** A key held by the agent: its public key blob and the comment ssh-add gave it. */
    record Identity(byte[] publicKeyBlob, String comment) {
        /** Such as {@code ssh-ed25519}; null for a malformed blob. */
        String keyType() {
            return HostKeys.embeddedType(publicKeyBlob);
        }
    }

    private final Path socketPath;
    private final SocketChannel channel;

    private SshAgentClient(Path socketPath, SocketChannel channel) {
        this.socketPath = socketPath;
        this.channel = channel;
    }

    static SshAgentClient connect(Path socketPath) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socketPath));
            return new SshAgentClient(socketPath, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    List<Identity> identities() throws IOException {
        Buffer.PlainBuffer answer = request(new Buffer.PlainBuffer().putByte((byte) SSH2_AGENTC_REQUEST_IDENTITIES),
                SSH2_AGENT_IDENTITIES_ANSWER, "list identities");
        try {
            long count = answer.readUInt32();
            List<Identity> identities = new ArrayList<>();
            for (long i = 0; i < count; i++) {
                identities.add(new Identity(answer.readBytes(), answer.readString()));
            }
            return identities;
        } catch (Buffer.BufferException e) {
            throw new IOException("malformed identities answer from ssh-agent at " + socketPath, e);
        }
    }

    /**
     * Asks the agent to sign {@code data} with the key {@code publicKeyBlob}.
     *
     * @return the signature blob as it goes into SSH_MSG_USERAUTH_REQUEST: string algorithm
     *     name, string signature
     */
    byte[] sign(byte[] publicKeyBlob, byte[] data, int flags) throws IOException {
        Buffer.PlainBuffer request = new Buffer.PlainBuffer()
                .putByte((byte) SSH2_AGENTC_SIGN_REQUEST)
                .putBytes(publicKeyBlob)
                .putBytes(data)
                .putUInt32(flags);
        Buffer.PlainBuffer answer = request(request, SSH2_AGENT_SIGN_RESPONSE, "sign");
        try {
            return answer.readBytes();
        } catch (Buffer.BufferException e) {
            throw new IOException("malformed sign answer from ssh-agent at " + socketPath, e);
        }
    }

    /** Sends one message and reads its answer; returns the answer after its type byte. */
    private Buffer.PlainBuffer request(Buffer.PlainBuffer message, int expectedType, String what)
            throws IOException {
        byte[] body = message.getCompactData();
        ByteBuffer out = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
        int length = readFully(ByteBuffer.allocate(4)).getInt();
        if (length < 1 || length > MAX_MESSAGE) {
            throw new IOException("ssh-agent at " + socketPath + " sent a message of implausible length " + length);
        }
        ByteBuffer answer = readFully(ByteBuffer.allocate(length));
        int type = answer.get() & 0xff;
        if (type != expectedType) {
            throw new IOException("ssh-agent at " + socketPath + " refused to " + what
                    + (type == SSH_AGENT_FAILURE ? "" : " (answer type " + type + ")"));
        }
        byte[] rest = new byte[answer.remaining()];
        answer.get(rest);
        return new Buffer.PlainBuffer(rest);
    }

    private ByteBuffer readFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("ssh-agent at " + socketPath + " closed the connection");
            }
        }
        return buffer.flip();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
