package cloudrelay;

import com.pulumi.Config;
import com.pulumi.Context;
import com.pulumi.Pulumi;
import com.pulumi.aws.ec2.Ec2Functions;
import com.pulumi.aws.ec2.Instance;
import com.pulumi.aws.ec2.InstanceArgs;
import com.pulumi.aws.ec2.KeyPair;
import com.pulumi.aws.ec2.KeyPairArgs;
import com.pulumi.aws.ec2.SecurityGroup;
import com.pulumi.aws.ec2.SecurityGroupArgs;
import com.pulumi.aws.ec2.inputs.GetAmiArgs;
import com.pulumi.aws.ec2.inputs.GetAmiFilterArgs;
import com.pulumi.aws.ec2.inputs.SecurityGroupEgressArgs;
import com.pulumi.aws.ec2.inputs.SecurityGroupIngressArgs;
import com.pulumi.aws.ec2.outputs.GetAmiResult;
import com.pulumi.core.Output;
import com.wgforward.wgforward.PortForward;
import com.wgforward.wgforward.PortForwardArgs;
import com.wgforward.wgforward.inputs.ClientArgs;
import com.wgforward.wgforward.inputs.ConnectionArgs;
import com.wgforward.wgforward.inputs.ForwardArgs;
import com.wgforward.wgforward.inputs.RelayArgs;
import java.util.stream.Collectors;

/**
 * A relay VM on AWS EC2 and the forward through it, in one program: the VM's public IP and its
 * SSH host key are PortForward's inputs, so the forward follows the VM wherever it is recreated.
 * The client is the machine running {@code pulumi up}: no connection, nothing installed on it;
 * it loads the {@code clientConfig} output with wg-quick.
 */
public final class App {
    private static final int WIREGUARD_PORT = 51820;
    /** The Debian project's AWS account, which publishes the official Debian images. */
    private static final String DEBIAN_IMAGES_OWNER = "136693071363";

    public static void main(String[] args) {
        Pulumi.run(App::stack);
    }

    static void stack(Context ctx) {
        Config config = ctx.config();
        Output<String> loginPrivateKey = config.requireSecret("loginPrivateKey");
        String hostPublicKey = config.require("relayHostPublicKey").trim();
        Output<String> hostPrivateKey = config.requireSecret("relayHostPrivateKey");

        KeyPair login = new KeyPair("login", KeyPairArgs.builder().publicKey(config.require("loginPublicKey")).build());

        // In: SSH for wgforward, WireGuard for the client; nothing else. Out: anything (the
        // relay reaches the target and Debian's mirrors).
        SecurityGroup relayFirewall = new SecurityGroup("relay", SecurityGroupArgs.builder()
                .description("wgforward relay: SSH and WireGuard in")
                .ingress(
                        SecurityGroupIngressArgs.builder().protocol("tcp").fromPort(22).toPort(22).cidrBlocks("0.0.0.0/0").build(),
                        SecurityGroupIngressArgs.builder().protocol("udp").fromPort(WIREGUARD_PORT).toPort(WIREGUARD_PORT)
                                .cidrBlocks("0.0.0.0/0").build())
                .egress(SecurityGroupEgressArgs.builder().protocol("-1").fromPort(0).toPort(0).cidrBlocks("0.0.0.0/0").build())
                .build());

        Output<String> debian = Ec2Functions.getAmi(GetAmiArgs.builder()
                .owners(DEBIAN_IMAGES_OWNER)
                .mostRecent(true)
                .filters(GetAmiFilterArgs.builder().name("name").values("debian-12-amd64-*").build())
                .build()).applyValue(GetAmiResult::id);

        // cloud-init installs the host key made beforehand, so wgforward pins the VM's SSH server
        // from the very first connection (no trust on first use).
        Output<String> userData = hostPrivateKey.applyValue(key -> String.join("\n",
                "#cloud-config",
                "ssh_deletekeys: true",
                "ssh_keys:",
                "  ed25519_private: |",
                key.trim().lines().map(line -> "    " + line).collect(Collectors.joining("\n")),
                "  ed25519_public: " + hostPublicKey,
                "packages: [wireguard-tools]",
                ""));

        Instance relayVm = new Instance("relay", InstanceArgs.builder()
                .ami(debian)
                .instanceType(config.get("instanceType").orElse("t3.micro"))
                .keyName(login.keyName())
                .vpcSecurityGroupIds(relayFirewall.id().applyValue(java.util.List::of))
                .userData(userData)
                // A new host key needs a new VM: cloud-init reads user data at first boot only.
                .userDataReplaceOnChange(true)
                .build());

        PortForward forward = new PortForward("forward", PortForwardArgs.builder()
                .relay(RelayArgs.builder()
                        .connection(ConnectionArgs.builder()
                                .host(relayVm.publicIp())
                                .user("admin") // Debian's images log in as admin, with sudo
                                .privateKey(loginPrivateKey)
                                .hostKey(hostPublicKey)
                                // A fresh VM refuses SSH until it has booted: keep dialing for a while.
                                .dialErrorLimit(60)
                                .build())
                        .listenPort(WIREGUARD_PORT)
                        .build())
                .client(ClientArgs.builder().build())
                .forwards(ForwardArgs.builder()
                        .port(config.getInteger("forwardPort").orElse(8888))
                        .targetHost(config.require("targetHost"))
                        .targetPort(config.getInteger("targetPort").orElse(22))
                        .build())
                .build());

        ctx.export("relayIp", relayVm.publicIp());
        ctx.export("relayTunnelIp", forward.relayTunnelIp());
        ctx.export("accessPoints", forward.accessPoints());
        ctx.export("clientConfig", forward.clientConfig());
    }
}
