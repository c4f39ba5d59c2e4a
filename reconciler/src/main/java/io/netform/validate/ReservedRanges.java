package io.netform.validate;

import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.util.List;
import java.util.Optional;

/**
 * Address blocks with a special meaning (RFC 6890) that a container network must not use: such a
 * network validated, then failed part-way through apply or worked against the host.
 */
final class ReservedRanges {

  /** A special block and what makes it unusable. */
  record Range(Cidr block, String meaning) {

    /** e.g. "127.0.0.0/8, the loopback range: the kernel routes it to lo". */
    String describe() {
      return block + ", " + meaning;
    }
  }

  private static final Range THIS_NETWORK = range("0.0.0.0/8", "the \"this network\" range: no packet may be sent to it");
  private static final Range LOOPBACK_V4 = range("127.0.0.0/8", "the loopback range: the kernel routes it to lo");
  // Refused too, though the kernel takes it on a bridge: routers never forward it, so masquerade
  // and published ports cannot work, and cloud hosts reach their metadata service at
  // 169.254.169.254 through it, which a bridge route would capture.
  private static final Range LINK_LOCAL_V4 = range("169.254.0.0/16",
      "the link-local range: never routed, and cloud hosts reach their metadata service (169.254.169.254) in it");
  private static final Range MULTICAST_V4 = range("224.0.0.0/4", "the multicast range: its addresses name groups, not interfaces");
  private static final Range RESERVED_V4 = range("240.0.0.0/4",
      "the reserved range, with the broadcast address 255.255.255.255: hosts and routers drop it");
  private static final Range UNSPECIFIED_V6 = range("::/128", "the unspecified address: it names no interface");
  private static final Range LOOPBACK_V6 = range("::1/128", "the loopback address: the kernel keeps it for lo");
  private static final Range MAPPED_V6 = range("::ffff:0:0/96",
      "the IPv4-mapped range: it stands for IPv4 addresses in IPv6 sockets and never goes on the wire");
  private static final Range LINK_LOCAL_V6 = range("fe80::/10",
      "the link-local range: the kernel gives every interface its own address and route in it");
  private static final Range MULTICAST_V6 = range("ff00::/8", "the multicast range: its addresses name groups, not interfaces");

  private static final List<Range> FOR_SUBNETS = List.of(THIS_NETWORK, LOOPBACK_V4, LINK_LOCAL_V4, MULTICAST_V4,
      RESERVED_V4, UNSPECIFIED_V6, LOOPBACK_V6, MAPPED_V6, LINK_LOCAL_V6, MULTICAST_V6);

  // Published ports may well bind to loopback, to a link-local address the host has, or to every
  // address (0.0.0.0, ::); these blocks are never a host's own address.
  private static final List<Range> FOR_HOST_ADDRESSES = List.of(THIS_NETWORK, MULTICAST_V4, RESERVED_V4, MAPPED_V6,
      MULTICAST_V6);

  // A host's underlay address (hosts: NAME: address, IPv4) is where the other hosts send its VXLAN
  // traffic: no block that names no single remote machine. Link-local is fine there: hosts on one
  // link reach each other at it.
  private static final List<Range> FOR_UNDERLAY = List.of(THIS_NETWORK, LOOPBACK_V4, MULTICAST_V4, RESERVED_V4);

  private ReservedRanges() {}

  private static Range range(String block, String meaning) {
    return new Range(Cidr.parse(block), meaning);
  }

  /**
   * The special block a subnet overlaps, if any. Overlap is enough: a subnet that merely touches
   * one still routes part of it to the bridge. Addresses inside a subnet (gateway, ip_range, aux
   * and static addresses) need no check of their own: the blocks are aligned, so a subnet clear of
   * them holds only clear addresses, and addresses outside their subnet are refused anyway.
   */
  static Optional<Range> overlapping(Cidr subnet) {
    return FOR_SUBNETS.stream().filter(r -> r.block().overlaps(subnet)).findFirst();
  }

  /** The special block a host address that ports are published on lies in, if it cannot be the host's. */
  static Optional<Range> unusableOnHost(IpAddress ip) {
    if (ip.equals(THIS_NETWORK.block().first())) {
      return Optional.empty(); // 0.0.0.0: every address, as with Docker
    }
    return FOR_HOST_ADDRESSES.stream().filter(r -> r.block().contains(ip)).findFirst();
  }

  /** The special block a host's underlay address lies in, if other hosts cannot reach it there. */
  static Optional<Range> unusableAsUnderlay(IpAddress ip) {
    return FOR_UNDERLAY.stream().filter(r -> r.block().contains(ip)).findFirst();
  }

  /** Where to look instead, by family. */
  static String usableHint(IpAddress.Family family) {
    return family == IpAddress.Family.V4
        ? "use a private range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16"
        : "use a unique local range (fd00::/8) or a global prefix of your own";
  }
}
