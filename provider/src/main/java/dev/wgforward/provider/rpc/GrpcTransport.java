package dev.wgforward.provider.rpc;

import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ServerBuilder;
import io.grpc.okhttp.OkHttpChannelBuilder;
import io.grpc.okhttp.OkHttpServerBuilder;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The plugin's gRPC transport (grpc-java's OkHttp one: plaintext HTTP/2 on loopback), with the
 * threads that carry its bytes owned here, so that they can be stopped at exit. Each connection's
 * reader blocks in a socket read; the JVM's exit waits up to 300 ms for threads that sit in native
 * code, so the server and the channels are shut down (their sockets closed) and these threads
 * stopped first: then the plugin exits within milliseconds of the engine's SIGINT.
 */
final class GrpcTransport {
    static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private final AtomicInteger threads = new AtomicInteger();
    // The engine talks to one plugin over one connection; a Construct adds one to the engine's
    // resource monitor. The calls themselves run on grpc's executor.
    private final ExecutorService network = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "wgforward-grpc-io-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    ServerBuilder<?> server(InetSocketAddress address) {
        return OkHttpServerBuilder.forPort(address, InsecureServerCredentials.create())
                .transportExecutor(network)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES);
    }

    /** A plaintext channel to an engine service (its log, a program's resource monitor). */
    ManagedChannel channel(String target) {
        return OkHttpChannelBuilder.forTarget(target)
                .transportExecutor(network)
                .usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .build();
    }

    /** Stops the network threads: call once every server and channel using them is shut down. */
    void close() {
        network.shutdownNow();
    }
}
