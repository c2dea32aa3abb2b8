import * as pulumi from "@pulumi/pulumi";
import * as hcloud from "@pulumi/hcloud";
import * as tls from "@pulumi/tls";
import * as wgforward from "@wgforward/wgforward";

const config = new pulumi.Config();

// The key wgforward logs in with, made here and kept (a secret) in the state.
const loginKey = new tls.PrivateKey("login", { algorithm: "ED25519" });
const sshKey = new hcloud.SshKey("login", { publicKey: loginKey.publicKeyOpenssh });

// The VM's own SSH host key, also made here: cloud-init installs it, so the program knows the
// key before the VM first boots and wgforward pins it from the first connection on.
const hostKey = new tls.PrivateKey("relay-host-key", { algorithm: "ED25519" });
const userData = pulumi.interpolate`#cloud-config
ssh_deletekeys: true
ssh_keys:
  ed25519_private: |
${hostKey.privateKeyOpenssh.apply((key) => key.trim().split("\n").map((line) => "    " + line).join("\n"))}
  ed25519_public: ${hostKey.publicKeyOpenssh.apply((key) => key.trim())}
packages: [wireguard-tools]
`;

const relayVm = new hcloud.Server("relay", {
    image: "debian-12",
    serverType: config.get("serverType") ?? "cx22",
    location: config.get("location") ?? "fsn1",
    sshKeys: [sshKey.id],
    userData,
});

// The client is the machine running `pulumi up`: no connection, so nothing is installed on it;
// it uses the clientConfig output with wg-quick.
const forward = new wgforward.PortForward("forward", {
    relay: {
        connection: {
            host: relayVm.ipv4Address,
            privateKey: loginKey.privateKeyOpenssh,
            hostKey: hostKey.publicKeyOpenssh.apply((key) => key.trim()),
            // A fresh VM refuses SSH until it has booted: keep dialing for a while.
            dialErrorLimit: 60,
        },
    },
    client: {},
    forwards: [{
        port: config.getNumber("forwardPort") ?? 8888,
        targetHost: config.require("targetHost"),
        targetPort: config.getNumber("targetPort") ?? 22,
    }],
});

export const relayIp = relayVm.ipv4Address;
export const relayTunnelIp = forward.relayTunnelIp;
export const accessPoints = forward.accessPoints;
export const clientConfig = forward.clientConfig;
