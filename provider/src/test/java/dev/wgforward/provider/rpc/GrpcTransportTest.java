package dev.wgforward.provider.rpc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import pulumirpc.EngineGrpc;
import pulumirpc.EngineOuterClass.LogRequest;

/** The transport over real loopback sockets, as the plugin runs it. */
class GrpcTransportTest {

    /**
     * The JVM's exit waits 300 ms for any thread still in a native socket read. A channel's and a
     * server's shutdown close their sockets asynchronously, so close() must wait until the
     * threads reading them have left: then nothing holds up the exit that follows.
     */
    @Test
    void closeShutsTheChannelsAndReturnsOnlyOnceEveryNetworkThreadHasLeftItsSocket() throws Exception {
        for (int round = 0; round < 5; round++) {
            GrpcTransport transport = new GrpcTransport();
            Server server = transport.server(new InetSocketAddress("127.0.0.1", 0))
                    .addService(new EngineGrpc.EngineImplBase() {
                        @Override
                        public void log(LogRequest request, StreamObserver<Empty> answer) {
                            answer.onNext(Empty.getDefaultInstance());
                            answer.onCompleted();
                        }
                    })
                    .build().start();
            ManagedChannel channel = transport.channel("127.0.0.1:" + server.getPort());
            // One call: a connection with a reader thread on each side, both now blocked in a read.
            EngineGrpc.newBlockingStub(channel).log(LogRequest.newBuilder().setMessage("hello").build());

            // As the plugin exits: the server first (its client is still connected, as the
            // engine's is when a run is stopped), then the transport, which closes the channel.
            server.shutdownNow();
            server.awaitTermination(1, TimeUnit.SECONDS);
            transport.close();

            assertTrue(channel.isTerminated(), "round " + round + ": the channel was left open");

            assertTrue(transport.stopped(), "round " + round + ": a network thread was still running after close()");
        }
    }
}
