package io.netform.kernel.netlink;

import io.netform.kernel.ffi.LibC;
import java.util.List;
import java.util.Map;

/**
 * Netfilter's netlink (linux/netfilter/nfnetlink.h), which ctnetlink ({@link Conntrack}) and
 * nf_tables ({@link NftTables}) speak: a message's type is its subsystem's number and the
 * subsystem's message, and its attributes follow a struct nfgenmsg naming an address family.
 */
public final class Nfnetlink {

  /** NFNL_SUBSYS_CTNETLINK. */
  static final int CTNETLINK = 1;
  /** NFNL_SUBSYS_NFTABLES. */
  static final int NFTABLES = 10;
  /** struct nfgenmsg: family, version, resource id. */
  private static final int HEADER = 4;

  private Nfnetlink() {}

  /** A NETLINK_NETFILTER socket in the calling thread's namespace (run it on a thread inside the one meant). */
  public static NetlinkSocket open() {
    return NetlinkSocket.open(LibC.NETLINK_NETFILTER);
  }

  /** The netlink message type of {@code subsystem}'s {@code message}. */
  static int type(int subsystem, int message) {
    return subsystem << 8 | message;
  }

  /** A request of {@code subsystem}'s {@code message} about {@code family} (an AF_* number, which NFPROTO_* repeats). */
  static MessageBuilder request(int subsystem, int message, int flags, int family) {
    return MessageBuilder.of(type(subsystem, message), flags).u8(family).u8(0 /* NFNETLINK_V0 */).u16(0);
  }

  /** The messages of type {@code answer} (subsystem's) a dump of {@code request} gives. */
  static List<Message> dump(NetlinkSocket socket, MessageBuilder request, int subsystem, int answer, String operation) {
    return socket.dump(request, operation).stream().filter(m -> m.type() == type(subsystem, answer)).toList();
  }

  /** A message's attributes, after its nfgenmsg. */
  static Map<Integer, byte[]> attributes(Message m) {
    return m.attributes(HEADER);
  }

  /** The address family its nfgenmsg names. */
  static int family(Message m) {
    return m.u8(0);
  }
}
