// Safe port forwarding through a WireGuard relay: a tunnel from a client to a relay, and on the relay DNAT rules that forward a port of its tunnel address to a target that only the relay can reach.
package wgforward
